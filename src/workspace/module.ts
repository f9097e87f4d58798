import type { VigieModule } from '../kernel/module.ts';
import { workspaceRoutes } from './routes.ts';

/** « Mes démarches »: the landing page of a signed-in person, with what needs their attention. */
export const workspaceModule: VigieModule = {
  name: 'workspace',
  routes: workspaceRoutes,
  navigation: [{ label: 'Mes démarches', href: '/mes-demarches', visible: (user) => user !== null, order: 5 }],
};
