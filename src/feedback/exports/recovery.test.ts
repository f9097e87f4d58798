/**
 * An export whose worker died (issue 10): it stayed « En cours » about 16 minutes, until pg-boss expired the job.
 * A worker that dies stops beating; within a minute the export is handed to a new job, and the page says so.
 * The death is simulated as it leaves the database: a running export whose last heartbeat is two minutes old.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, sessionClient } from '../../../test/helpers/users.ts';
import { eventually, jobsForTest } from '../../kernel/jobs/fixtures/jobs-for-test.ts';
import type { Jobs } from '../../kernel/jobs/jobs.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';
import { parseAnswerFilters } from '../backoffice/answers-routes.ts';
import { answersQuery } from '../backoffice/route-schemas.ts';
import { registerExportWorker } from './routes.ts';
import { RECOVERY_INTERVAL_MS, STALE_AFTER_SECONDS, recoverStalledExports, startExportRecovery } from './recovery.ts';

for (const target of TEST_TARGETS) {
  describe(`exports whose worker died are restarted (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let jobs: Jobs;
    let drop: () => Promise<void>;
    let userId: number;
    let reader: TestClient;

    before(async () => {
      t = await createTestApp(target);
      ({ jobs, drop } = await jobsForTest(t.db));
      await registerExportWorker({ ...t.deps, jobs }, jobs);
      f = await createFeedbackFixture(t.db, 'dead');
      await new Visitor(t.app, '10.8.0.1').start(f.button.publicKey, { satisfaction: 'good' });
      userId = await createTestUser(t.db, undefined, [{ role: 'admin' }]);
      reader = await sessionClient(t.app, t.db, userId);
    });
    after(async () => {
      await drop();
      await t.close();
    });

    /** An export left « running » by a worker that stopped beating `secondsAgo` seconds ago. */
    async function runningExport(secondsAgo: number): Promise<number> {
      const filters = JSON.stringify({ ...parseAnswerFilters(answersQuery.parse({})).filters, page: 1 });
      const { rows } = await t.db.query<{ id: number }>(
        `INSERT INTO feedback_exports (form_id, user_id, format, filters, status, total, done_rows, heartbeat_at)
         VALUES ($1, $2, 'csv', $3, 'running', 1, 0, now() - make_interval(secs => $4)) RETURNING id`,
        [f.formId, userId, filters, secondsAgo],
      );
      return Number(rows[0].id);
    }

    const status = async (id: number) =>
      (await t.db.query<{ status: string }>('SELECT status FROM feedback_exports WHERE id = $1', [id])).rows[0].status;

    test('a dead worker is noticed within a minute (30 s without a beat, looked for every 15 s)', () => {
      assert.ok(STALE_AFTER_SECONDS + RECOVERY_INTERVAL_MS / 1000 < 60);
    });

    test('the page says the server stopped answering; the export is restarted, finished, and the page says so', async () => {
      const id = await runningExport(120);
      const page = await reader.get(`/avis/exports/${id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /ne répond plus : l’export sera relancé automatiquement dans moins d’une minute/);

      const stop = startExportRecovery({ ...t.deps, jobs }, jobs, 200);
      try {
        await eventually(async () => ((await status(id)) === 'done' ? true : undefined), 'the export to be restarted and finished');
      } finally {
        stop();
      }
      const done = await reader.get(`/avis/exports/${id}`);
      assert.match(done.body, /Prêt/);
      assert.match(done.body, /interrompu puis relancé automatiquement/);
      const file = await reader.get(`/avis/exports/${id}/fichier`);
      assert.equal(file.statusCode, 200);
      assert.match(file.body, /avis_id/);
      const { rows } = await t.db.query<{ restarts: number }>('SELECT restarts FROM feedback_exports WHERE id = $1', [id]);
      assert.equal(rows[0].restarts, 1);
    });

    test('an export whose worker is alive (a recent beat) is left alone', async () => {
      const alive = await runningExport(3);
      assert.deepEqual(await recoverStalledExports(t.deps, jobs), []);
      assert.equal(await status(alive), 'running');
      const page = await reader.get(`/avis/exports/${alive}`);
      assert.doesNotMatch(page.body, /relancé/);
    });
  });
}
