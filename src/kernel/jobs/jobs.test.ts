import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import type { Jobs } from './jobs.ts';
import { eventually, jobsForTest } from './fixtures/jobs-for-test.ts';

const exitScript = fileURLToPath(new URL('./fixtures/exit-after-stop.ts', import.meta.url));

for (const target of TEST_TARGETS) {
  describe(`background jobs (${target})`, () => {
    let db: TestDb;
    let jobs: Jobs;
    let schema: string;
    let drop: () => Promise<void>;
    before(async () => {
      db = await openTestDb(target);
      ({ jobs, schema, drop } = await jobsForTest(db));
    });
    after(async () => {
      await drop();
      await db.destroy();
    });

    const jobRow = async (id: string) =>
      (await db.query<{ state: string; retry_count: number }>(`SELECT state, retry_count FROM ${schema}.job WHERE id = $1`, [id])).rows[0];

    test('a job sent is processed by a worker with its data, then marked completed', async () => {
      const seen: Array<{ id: string; data: unknown }> = [];
      await jobs.work<{ to: string }>('test.echo', async (job) => {
        seen.push({ id: job.id, data: job.data });
      });
      const id = await jobs.send('test.echo', { to: 'agent@exemple.gouv.fr' });
      assert.ok(id);
      await eventually(async () => ((await jobRow(id))?.state === 'completed' ? true : undefined), 'the job to complete');
      assert.deepEqual(seen, [{ id, data: { to: 'agent@exemple.gouv.fr' } }]);
    });

    test('a failing job is retried until it succeeds', async () => {
      const attempts: number[] = [];
      await jobs.work('test.flaky', async (job) => {
        attempts.push(job.retryCount ?? -1);
        if (attempts.length < 3) throw new Error('serveur indisponible');
      });
      const id = await jobs.send('test.flaky', {}, { retryLimit: 4, retryDelay: 0 });
      assert.ok(id);
      const row = await eventually(async () => {
        const r = await jobRow(id);
        return r?.state === 'completed' ? r : undefined;
      }, 'the flaky job to complete');
      assert.deepEqual(attempts, [0, 1, 2]);
      assert.equal(row.retry_count, 2);
    });

    test('a job failing more often than its retry limit ends failed', async () => {
      let calls = 0;
      await jobs.work('test.broken', async () => {
        calls++;
        throw new Error('toujours en panne');
      });
      const id = await jobs.send('test.broken', {}, { retryLimit: 1, retryDelay: 0 });
      assert.ok(id);
      await eventually(async () => ((await jobRow(id))?.state === 'failed' ? true : undefined), 'the job to fail');
      assert.equal(calls, 2);
    });

    test('a job sent inside a transaction exists only if the transaction commits', async () => {
      const seen: number[] = [];
      await jobs.work<{ n: number }>('test.tx', async (job) => {
        seen.push(job.data.n);
      });
      let rolledBackId: string | null = null;
      await assert.rejects(
        db.transaction(async (tx) => {
          rolledBackId = await jobs.send('test.tx', { n: 1 }, { tx });
          throw new Error('annulé');
        }),
        /annulé/,
      );
      const id = await db.transaction((tx) => jobs.send('test.tx', { n: 2 }, { tx }));
      assert.ok(id && rolledBackId);
      await eventually(async () => ((await jobRow(id))?.state === 'completed' ? true : undefined), 'the committed job to complete');
      assert.equal(await jobRow(rolledBackId), undefined);
      assert.deepEqual(seen, [2]);
    });

    test('sending inside a transaction to a queue not in use yet is refused with an explanation', async () => {
      await assert.rejects(
        db.transaction((tx) => jobs.send('test.never-used', {}, { tx })),
        /register its worker at start/,
      );
    });

    test('a sent job is picked up at once and queued jobs run back to back, without waiting for the next poll', async () => {
      // Workers of this instance poll only every 10 minutes: only the wake-ups can make these jobs run.
      const slow = await jobsForTest(db, { pollingIntervalSeconds: 600 });
      try {
        const seen: number[] = [];
        await slow.jobs.work<{ n: number }>('test.wake', async (job) => {
          seen.push(job.data.n);
        });
        await slow.jobs.send('test.wake', { n: 1 });
        await eventually(async () => (seen.length === 1 ? true : undefined), 'the first job to run');
        // Sent inside transactions: no wake-up at send time, so they run only thanks to the wake-up after a job.
        await db.transaction(async (tx) => {
          await slow.jobs.send('test.wake', { n: 2 }, { tx });
          await slow.jobs.send('test.wake', { n: 3 }, { tx });
        });
        await slow.jobs.send('test.wake', { n: 4 });
        await eventually(async () => (seen.length === 4 ? true : undefined), 'the queued jobs to run');
        assert.deepEqual([...seen].sort(), [1, 2, 3, 4]);
      } finally {
        await slow.drop();
      }
    });

    test('after stop, nothing keeps the process alive (it exits by itself)', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', exitScript, target], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: process.env,
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      // Only a guard against hanging forever; the assertion is that the process ends on its own.
      const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
      clearTimeout(guard);
      assert.equal(signal, null, `the process did not exit by itself after stop; output: ${out} ${err}`);
      assert.equal(code, 0, err);
      assert.equal(out, 'traité\nstopped\n');
    });
  });
}
