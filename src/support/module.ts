import type { VigieModule } from '../kernel/module.ts';
import { hasAnyGrant, isAdmin } from '../kernel/auth/scope.ts';
import { supportRoutes } from './routes.ts';
import { seedSupportDemo } from './demo/seed.ts';

/**
 * Help (support), issue 14 (docs/support.md): help channels per procedure, help points and their import, the public
 * « Obtenir de l'aide » page with the nearest help points, contact-centre volumes and the observatoire's indicator
 * « Contacts pour 1 000 démarches » (its source is registered by routes.ts).
 */
export const supportModule: VigieModule = {
  name: 'support',
  routes: supportRoutes,
  navigation: [
    { label: 'Aide aux usagers', href: '/support', visible: hasAnyGrant, order: 60 },
    { label: 'Lieux d’aide', href: '/lieux-aide', visible: (user) => isAdmin(user), order: 61 },
  ],
  seedDemo: async (deps) => {
    await seedSupportDemo(deps.db);
  },
};
