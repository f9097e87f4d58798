import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';

/** Routes of the accounts module. */
export const accountsRoutes: FastifyPluginAsync<AppDeps> = async () => {};
