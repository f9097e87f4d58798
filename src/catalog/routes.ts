import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { procedureRoutes } from './routes/procedures.ts';
import { organisationRoutes } from './routes/organisations.ts';
import { importRoutes } from './routes/import.ts';
import { exportRoutes } from './routes/export.ts';

/** Routes of the catalog module: procedures, ministries and administrations, import and export. */
export const catalogRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  await procedureRoutes(app, deps);
  await organisationRoutes(app, deps);
  await importRoutes(app, deps);
  await exportRoutes(app, deps);
};
