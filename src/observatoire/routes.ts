import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { publicStatic } from '../kernel/web/access.ts';
import type { AppDeps } from '../kernel/web/deps.ts';
import { publicEditionRoutes } from './routes/public.ts';
import { apiRoutes } from './routes/api.ts';
import { exportRoutes } from './routes/export.ts';
import { scorecardRoutes } from './routes/scorecards.ts';
import { compareRoutes } from './routes/compare.ts';
import { helpRoutes } from './routes/help.ts';
import { adminEditionRoutes } from './routes/admin-editions.ts';
import { adminRuleRoutes } from './routes/admin-rules.ts';
import { adminValueRoutes } from './routes/admin-values.ts';
import { adminIndicatorRoutes } from './routes/admin-indicators.ts';
import { syncPublicVersion } from './cache/public-cache.ts';

const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

/** Routes of the observatoire module. */
export const observatoireRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  // Before any of this module's answers: drops what this server keeps in memory of public data when another server
  // changed it (one tiny query at most once a second, cache/public-cache.ts).
  app.addHook('onRequest', async () => {
    await syncPublicVersion(deps.db, deps.config.publicCacheCheckMs);
  });
  await app.register(publicStatic, { files: { root: assets, prefix: '/assets/observatoire/', maxAge: '1h', decorateReply: false } });
  await app.register(publicEditionRoutes, deps);
  await app.register(apiRoutes, deps);
  await app.register(exportRoutes, deps);
  await app.register(scorecardRoutes, deps);
  await app.register(compareRoutes, deps);
  await app.register(helpRoutes, deps);
  await app.register(adminEditionRoutes, deps);
  await app.register(adminRuleRoutes, deps);
  await app.register(adminValueRoutes, deps);
  await app.register(adminIndicatorRoutes, deps);
};
