import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { loginRoutes } from './routes/login.ts';
import { accountRoutes } from './routes/account.ts';
import { oidcRoutes } from './oidc/routes.ts';
import { passwordResetRoutes } from './routes/password-reset.ts';
import { verifyEmailRoutes } from './routes/verify-email.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { adminUserRoutes } from './routes/admin-users.ts';
import { adminJournalRoutes } from './routes/admin-journal.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { unlockRoutes } from './routes/unlock.ts';

/** Routes of the accounts module. */
export const accountsRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  await app.register(loginRoutes, deps);
  await app.register(accountRoutes, deps);
  await app.register(oidcRoutes, deps);
  await app.register(passwordResetRoutes, deps);
  await app.register(verifyEmailRoutes, deps);
  await app.register(invitationRoutes, deps);
  await app.register(adminUserRoutes, deps);
  await app.register(adminJournalRoutes, deps);
  await app.register(apiKeyRoutes, deps);
  await app.register(unlockRoutes, deps);
};
