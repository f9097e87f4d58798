import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { publicStatic } from '../kernel/web/access.ts';
import type { AppDeps } from '../kernel/web/deps.ts';
import { publicQuestionnaireRoutes } from './public/routes.ts';
import { formRoutes } from './backoffice/forms-routes.ts';
import { dashboardRoutes } from './backoffice/dashboard-routes.ts';
import { groupDashboardRoutes } from './backoffice/group-dashboard-routes.ts';
import { answersRoutes } from './backoffice/answers-routes.ts';
import { publicStatsRoutes } from './backoffice/public-stats-routes.ts';
import { exportRoutes } from './exports/routes.ts';
import { alertRoutes } from './alerts/routes.ts';
import { feedbackApiRoutes } from './api/routes.ts';
import { buttonGoalRoutes } from './goal/routes.ts';
import { registerIndicatorSource } from '../observatoire/index.ts';
import { feedbackIndicatorSource } from './analytics/observatoire-source.ts';

registerIndicatorSource(feedbackIndicatorSource);

const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

/** Routes of the feedback module (« Je donne mon avis »). */
export const feedbackRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  await app.register(publicStatic, { files: { root: assets, prefix: '/assets/feedback/', maxAge: '1h', decorateReply: false } });
  await app.register(publicQuestionnaireRoutes, deps);
  await app.register(formRoutes, deps);
  await app.register(dashboardRoutes, deps);
  await app.register(groupDashboardRoutes, deps);
  await app.register(answersRoutes, deps);
  await app.register(publicStatsRoutes, deps);
  await app.register(exportRoutes, deps);
  await app.register(alertRoutes, deps);
  await app.register(feedbackApiRoutes, deps);
  await app.register(buttonGoalRoutes, deps);
};
