import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';

/** Routes of the catalog module. */
export const catalogRoutes: FastifyPluginAsync<AppDeps> = async () => {};
