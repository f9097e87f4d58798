import type { Place, VigieModule } from '../kernel/module.ts';
import type { Queryable } from '../kernel/db/db.ts';
import { hasAnyGrant } from '../kernel/auth/scope.ts';
import { feedbackRoutes } from './routes.ts';
import { seedFeedbackDemo } from './demo/seed.ts';
import { demoCalendar } from '../observatoire/index.ts';
import { todayInParis } from '../kernel/web/format.ts';
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
  // The objects feedback routes name in their URL, placed in the catalogue through their form's procedure.
  places: {
    form: (db, id) => placeOf(db, 'FROM feedback_forms f WHERE f.id = $1 AND f.deleted_at IS NULL', id),
    button: (db, id) =>
      placeOf(
        db,
        'FROM feedback_buttons b JOIN feedback_forms f ON f.id = b.form_id WHERE b.id = $1 AND b.deleted_at IS NULL AND f.deleted_at IS NULL',
        id,
      ),
    review: (db, id) =>
      placeOf(
        db,
        'FROM feedback_reviews r JOIN feedback_buttons b ON b.id = r.button_id JOIN feedback_forms f ON f.id = b.form_id WHERE r.id = $1 AND f.deleted_at IS NULL',
        id,
      ),
  },
};

/** The place of the form `from` selects (alias f). */
async function placeOf(db: Queryable, from: string, id: number): Promise<Place | null> {
  const { rows } = await db.query<{ procedure_id: number; administration_id: number; ministry_id: number }>(
    `SELECT p.id AS procedure_id, p.administration_id, a.ministry_id ${from.replace(' WHERE ', ' JOIN procedures p ON p.id = f.procedure_id JOIN administrations a ON a.id = p.administration_id WHERE ')}`,
    [id],
  );
  const r = rows[0];
  return r
    ? { procedureId: Number(r.procedure_id), administrationId: Number(r.administration_id), ministryId: Number(r.ministry_id) }
    : null;
}
