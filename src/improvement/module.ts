import type { VigieModule } from '../kernel/module.ts';
import { isAdmin } from '../kernel/auth/scope.ts';
import { improvementRoutes } from './routes.ts';
import { seedChallenges } from './demo.ts';
import { challengePlace } from './queries.ts';

/** Improvement challenges (« défis ») with their measured effect, and the help page of the statistics (docs/improvement.md). */
export const improvementModule: VigieModule = {
  name: 'improvement',
  routes: improvementRoutes,
  navigation: [
    { label: 'Défis', href: '/defis', visible: () => true, order: 25 },
    { label: 'Mes défis', href: '/mes-defis', visible: (user) => !!user, order: 26 },
    { label: 'Gestion des défis', href: '/defis/admin', visible: (user) => !!user && isAdmin(user), order: 90 },
  ],
  // A défi's team members may edit its actions without any catalogue grant (src/kernel/web/access.ts).
  places: { challenge: challengePlace },
  objectGrants: ['challenge'],
  seedDemo: async (deps) => seedChallenges(deps.db),
};
