import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { loginRoutes } from './routes/login.ts';
import { accountRoutes } from './routes/account.ts';

/** Routes of the accounts module. */
export const accountsRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  await app.register(loginRoutes, deps);
  await app.register(accountRoutes, deps);
};
