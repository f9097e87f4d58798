import type { FastifyInstance } from 'fastify';
import type { VigieModule } from '../kernel/module.ts';
import type { AppDeps } from '../kernel/web/deps.ts';
import { publicExperienceRoutes } from './routes-public.ts';
import { backofficeExperienceRoutes } from './routes-backoffice.ts';
import { experiencesApiRoutes } from './api.ts';
import { seedExperiencesDemo } from './demo.ts';
import { sendFollowUps } from './store.ts';
import { eraseOldEmails } from './retention.ts';
import { registerDigestSection } from '../feedback/index.ts';
import { overdueStoriesDigestText } from './digest.ts';

// The feedback digest of a procedure lists its overdue stories.
registerDigestSection('experiences', overdueStoriesDigestText);

export const FOLLOW_UP_QUEUE = 'experiences.follow-up';
export const EMAIL_RETENTION_QUEUE = 'experiences.email-retention';

/**
 * Experiences told by users, with public answers (Services Publics +, issue 14): the public form, moderation,
 * published stories per procedure, administration and ministry, answers and states, delays (docs/experiences.md).
 */
export const experiencesModule: VigieModule = {
  name: 'experiences',
  routes: async (app: FastifyInstance, deps: AppDeps) => {
    await publicExperienceRoutes(app, deps);
    await backofficeExperienceRoutes(app, deps);
    await experiencesApiRoutes(app, deps);
  },
  // Any signed-in person: moderators a ministry names may hold no other grant.
  navigation: [{ label: 'Témoignages', href: '/temoignages/gestion', visible: (user) => user !== null, order: 45 }],
  seedDemo: (deps) => seedExperiencesDemo(deps),
  async jobs(deps, jobs) {
    // Every morning: authors answered four weeks ago are asked whether the answer helped.
    await jobs.work(FOLLOW_UP_QUEUE, async () => {
      await sendFollowUps(deps);
    });
    await jobs.schedule(FOLLOW_UP_QUEUE, '0 9 * * *');
    // Every night: the authors' e-mail addresses of stories closed longer ago than the retention are erased.
    await jobs.work(EMAIL_RETENTION_QUEUE, async () => {
      await eraseOldEmails(deps.db);
    });
    await jobs.schedule(EMAIL_RETENTION_QUEUE, '30 3 * * *');
  },
  places: {
    experience: async (db, id) => {
      const { rows } = await db.query(
        `SELECT p.id AS procedure_id, p.administration_id, a.ministry_id FROM experiences e JOIN procedures p ON p.id = e.procedure_id
           JOIN administrations a ON a.id = p.administration_id WHERE e.id = $1`,
        [id],
      );
      const r = rows[0];
      return r
        ? { procedureId: Number(r.procedure_id), administrationId: Number(r.administration_id), ministryId: Number(r.ministry_id) }
        : null;
    },
  },
};
