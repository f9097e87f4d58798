import type { VigieModule } from '../kernel/module.ts';
import { hasAnyGrant } from '../kernel/auth/scope.ts';
import { feedbackRoutes } from './routes.ts';
import { seedFeedbackDemo } from './demo/seed.ts';
import { demoCalendar } from '../observatoire/demo/calendar.ts';
import { todayInParis } from '../kernel/web/format.ts';
import { registerFeedbackApi } from './api/openapi-paths.ts';
import { registerPartitionsJob } from './storage/partitions.ts';
import { registerExportWorker } from './exports/routes.ts';
import { startExportRecovery } from './exports/recovery.ts';
import { registerAlertsJob } from './alerts/routes.ts';

/** « Je donne mon avis »: questionnaires, buttons, answers, dashboards, exports, alerts and the feedback API. */
export const feedbackModule: VigieModule = {
  name: 'feedback',
  routes: feedbackRoutes,
  navigation: [{ label: 'Avis usagers', href: '/avis', visible: hasAnyGrant, order: 40 }],
  // Before the observatoire's (src/app.ts), over every window of the demo's edition calendar, up to today.
  seedDemo: async (deps) => {
    const today = todayInParis();
    await seedFeedbackDemo(deps.db, 60, { start: demoCalendar(today)[0].windowStart, end: today });
  },
  async jobs(deps, jobs) {
    await registerExportWorker(deps, jobs);
    startExportRecovery(deps, jobs);
    await registerAlertsJob(deps, jobs);
    await registerPartitionsJob(deps.db, jobs);
  },
  api: registerFeedbackApi,
};
