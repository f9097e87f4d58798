import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { AppDeps } from '../kernel/web/deps.ts';
import { publicEditionRoutes } from './routes/public.ts';

const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

/** Routes of the observatoire module. */
export const observatoireRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  await app.register(fastifyStatic, { root: assets, prefix: '/assets/observatoire/', maxAge: '1h', decorateReply: false });
  await app.register(publicEditionRoutes, deps);
};
