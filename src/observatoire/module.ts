import type { VigieModule } from '../kernel/module.ts';
import { observatoireRoutes } from './routes.ts';
import { seedObservatoireDemo } from './demo/seed.ts';
import { todayInParis } from '../kernel/web/format.ts';

/** The observatoire: editions of the quality indicators, public tables, scorecards and the public API. */
export const observatoireModule: VigieModule = {
  name: 'observatoire',
  routes: observatoireRoutes,
  navigation: [{ label: 'Observatoire', href: '/observatoire', visible: () => true, order: 20 }],
  // After the feedback's (src/app.ts): the demo editions are published from the demo's reviews.
  seedDemo: async (deps) => {
    await seedObservatoireDemo(deps.db, todayInParis());
  },
};
