import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';

/** Routes of the observatoire module. */
export const observatoireRoutes: FastifyPluginAsync<AppDeps> = async () => {};
