import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';

/** Routes of the feedback module. */
export const feedbackRoutes: FastifyPluginAsync<AppDeps> = async () => {};
