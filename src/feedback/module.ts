import type { VigieModule } from '../kernel/module.ts';
import { hasAnyGrant } from '../kernel/auth/scope.ts';
import { feedbackRoutes } from './routes.ts';
import { seedFeedbackDemo } from './demo/seed.ts';
import { registerFeedbackApi } from './api/openapi-paths.ts';
import { registerPartitionsJob } from './storage/partitions.ts';
import { registerExportWorker } from './exports/routes.ts';
import { registerAlertsJob } from './alerts/routes.ts';

/** « Je donne mon avis »: questionnaires, buttons, answers, dashboards, exports, alerts and the feedback API. */
export const feedbackModule: VigieModule = {
  name: 'feedback',
  routes: feedbackRoutes,
  navigation: [{ label: 'Avis usagers', href: '/avis', visible: hasAnyGrant, order: 40 }],
  seedDemo: async (deps) => {
    await seedFeedbackDemo(deps.db);
  },
  async jobs(deps, jobs) {
    await registerExportWorker(deps, jobs);
    await registerAlertsJob(deps, jobs);
    await registerPartitionsJob(deps.db, jobs);
  },
  api: registerFeedbackApi,
};
