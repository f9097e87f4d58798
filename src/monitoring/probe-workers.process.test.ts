import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTestDb, type TestDb } from '../../test/helpers/db.ts';
import { createTestCatalog } from '../catalog/testing.ts';
import { startFixtureServer, type FixtureServer } from './testing-server.ts';

/**
 * Two separate `vigie probe-worker` processes of one location on one PostgreSQL database (PGlite is one process only):
 * every due probe is done once, by one of them, and none is missed. Child processes started as an operator would.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TARGETS = 40;

describe('two probe-worker processes on PostgreSQL', {
  skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL absent: PostgreSQL only',
}, () => {
  let db: TestDb;
  let f: FixtureServer;
  const workers: ChildProcess[] = [];
  const exited: Promise<number | null>[] = [];

  before(async () => {
    db = await openTestDb('postgres');
    f = await startFixtureServer();
    const c = await createTestCatalog(db, { prefix: 'pw' });
    // Hourly targets: the workers' claims move each one an hour ahead, so nothing is due twice during the test.
    await db.query(
      `INSERT INTO monitoring_targets (procedure_id, kind, url, interval_seconds) SELECT $1, 'start', $2 || '/ok?t=' || i, 3600 FROM generate_series(1, $3) i`,
      [c.procedures[0], f.url, TARGETS],
    );
  });

  after(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await f?.close();
    await db?.destroy();
  });

  function startWorker(): Promise<void> {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.searchParams.set('options', `-c search_path=${db.schema},public`);
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/vigie.js'), 'probe-worker', '--location', 'paris', '--concurrency', '4'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: url.href,
        MONITORING_ALLOWED_RANGES: '127.0.0.0/8',
        VIGIE_FROM_SOURCES: 'true',
        LOG_LEVEL: 'silent',
        SMTP_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.push(child);
    exited.push(new Promise((resolve) => child.once('exit', (code) => resolve(code))));
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    // Started when it says so (« Sondes du lieu « paris » lancées »).
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => /lancées/.test(d.toString()) && resolve());
      child.once('exit', (code) => reject(new Error(`probe-worker exited (${code}): ${err}`)));
    });
  }

  test('each due probe is done once, none missed, by two processes claiming together', async () => {
    await Promise.all([startWorker(), startWorker()]);
    f.state.hits.clear();
    // Everything due now: both processes claim from the same rows at once (4 at a time each, every second).
    await db.query(`UPDATE monitoring_schedule SET next_due = now() WHERE location = 'paris'`);
    const recorded = async () =>
      Number((await db.query(`SELECT count(*)::int AS n FROM monitoring_probes WHERE location = 'paris'`)).rows[0].n);
    // Waits for the work to be done (not a timing assertion): at most 2 minutes, on a loaded machine.
    for (let i = 0; i < 240 && (await recorded()) < TARGETS; i++) await new Promise((resolve) => setTimeout(resolve, 500));
    for (const w of workers) w.kill('SIGTERM');
    assert.deepEqual(await Promise.all(exited), [0, 0], 'both stop cleanly on SIGTERM');
    const { rows } = await db.query(
      `SELECT t.id, count(p.target_id)::int AS n FROM monitoring_targets t LEFT JOIN monitoring_probes p ON p.target_id = t.id GROUP BY t.id ORDER BY t.id`,
    );
    assert.equal(rows.length, TARGETS);
    assert.deepEqual(
      rows.filter((r) => r.n !== 1),
      [],
      'every target probed exactly once',
    );
    assert.equal(f.state.hits.get('/ok'), TARGETS, 'the fixture server saw one request per target');
  });
});
