import type { VigieModule } from '../kernel/module.ts';
import { isAdmin } from '../kernel/auth/scope.ts';
import { improvementRoutes } from './routes.ts';
import { seedChallenges } from './demo.ts';

/** Improvement challenges (« défis ») with their measured effect, and the help page of the statistics (docs/improvement.md). */
export const improvementModule: VigieModule = {
  name: 'improvement',
  routes: improvementRoutes,
  navigation: [
    { label: 'Défis', href: '/defis', visible: () => true, order: 25 },
    { label: 'Gestion des défis', href: '/defis/admin', visible: (user) => !!user && isAdmin(user), order: 90 },
  ],
  seedDemo: async (deps) => seedChallenges(deps.db),
};
