import type { VigieModule } from '../kernel/module.ts';
import { isAdmin } from '../kernel/auth/scope.ts';
import { accountsRoutes } from './routes.ts';
import { accountsCommands } from './cli.ts';
import { seedAccountsDemo } from './demo.ts';
import { registerPasswordResetWorker } from './password-reset-request.ts';

/** Accounts: sign-in, sessions, invitations, API keys, the administration of users and the audit journal. */
export const accountsModule: VigieModule = {
  name: 'accounts',
  routes: accountsRoutes,
  navigation: [
    { label: 'Utilisateurs', href: '/admin/utilisateurs', visible: isAdmin, order: 80 },
    { label: "Journal d'audit", href: '/admin/journal', visible: isAdmin, order: 81 },
    { label: "Boîte d'envoi", href: '/admin/boite-envoi', visible: isAdmin, order: 82 },
  ],
  commands: accountsCommands,
  // After the catalogue's: the demo accounts are granted the demo ministry, administration and procedure.
  seedDemo: (deps) => seedAccountsDemo(deps.db),
  // « Mot de passe oublié »: the worker decides whether the address has an account (the request never looks).
  jobs: (deps) => registerPasswordResetWorker(deps),
};
