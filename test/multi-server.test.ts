/**
 * Several Vigie servers on one PostgreSQL database (issue 10): two real processes (`node bin/vigie.js serve`, as in
 * production) share a database made for this test; what changes through one of them, or through any other writer, is
 * seen by both within 5 s, and each scheduled job runs once. Needs TEST_DATABASE_URL (PGlite is one process only).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { openPostgres } from '../src/kernel/db/postgres.ts';
import { migrate } from '../src/kernel/db/migrate.ts';
import type { Db } from '../src/kernel/db/db.ts';
import { SESSION_COOKIE, createSession, destroySession } from '../src/kernel/auth/session.ts';
import { createApiKey } from '../src/kernel/auth/api-keys.ts';
import { startServer, type ServerProcess } from '../bench/lib/server-process.ts';
import { setLiveValues } from '../src/observatoire/test-fixtures.ts';
import { createDraft } from '../src/observatoire/editions/drafts.ts';
import { publishEdition } from '../src/observatoire/editions/publish.ts';
import { correctEdition } from '../src/observatoire/editions/correct.ts';
import { loadRuleSet, saveRuleSet } from '../src/observatoire/rules/repository.ts';
import { createFeedbackFixture } from '../src/feedback/testing.ts';
import { ALERTS_QUEUE } from '../src/feedback/alerts/run.ts';
import { SIGN_UP_RATE_LIMIT } from '../src/accounts/routes/password-reset.ts';
import { createTestUser } from './helpers/users.ts';
import { createTestCatalog } from '../src/catalog/testing.ts';

const URL_OF_TESTS = process.env.TEST_DATABASE_URL;
/** What « seen on the other server » allows: both servers check the shared state at least once a second. */
const WITHIN_MS = 5_000;

/** Polls `check` on each server until it holds on both, for at most WITHIN_MS; returns how long it took. */
async function seenByBoth(servers: ServerProcess[], check: (origin: string) => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  const pending = new Set(servers.map((s) => s.origin));
  while (pending.size > 0) {
    for (const origin of [...pending]) if (await check(origin)) pending.delete(origin);
    if (pending.size === 0) break;
    if (Date.now() - started > WITHIN_MS) assert.fail(`${what}: not seen by ${[...pending].join(', ')} after ${WITHIN_MS} ms`);
    await sleep(100);
  }
  return Date.now() - started;
}

async function text(url: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { status: res.status, body: await res.text() };
}

describe('two Vigie servers on one PostgreSQL database', {
  skip: URL_OF_TESTS ? false : 'TEST_DATABASE_URL is not set: the multi-server test needs a PostgreSQL server (PGlite is one process only)',
}, () => {
  const name = `vigie_multi_${randomBytes(4).toString('hex')}`;
  let admin: pg.Client;
  let db: Db;
  let servers: ServerProcess[] = [];
  let dataDirs: string[] = [];
  let editionId: number;
  let procedures: number[];
  let pilot: { id: number; email: string };
  let databaseUrl = '';

  before(async () => {
    admin = new pg.Client({ connectionString: URL_OF_TESTS });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(URL_OF_TESTS!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    db = await openPostgres(databaseUrl, { max: 3 });
    await migrate(db);
    procedures = (await createTestCatalog(db, { varied: true, procedures: 8, prefix: 'MS' })).procedures;
    await setLiveValues(db, procedures, 'satisfaction', [9, 8, 7, 6, 5, 4, 3, 2]);
    editionId = await createDraft(db, { name: 'Hiver multi', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
    await publishEdition(db, editionId, null);
    const email = 'pilote-multi@exemple.gouv.fr';
    pilot = { id: await createTestUser(db, email, [{ role: 'admin' }]), email };
    const env = {
      DATABASE_URL: url.toString(),
      VIGIE_DEMO: 'false',
      VIGIE_JOBS: 'true',
      SESSION_SECRET: 'multi-server-secret-0123456789-abcdefghij',
    };
    dataDirs = [mkdtempSync(path.join(os.tmpdir(), 'vigie-multi-a-')), mkdtempSync(path.join(os.tmpdir(), 'vigie-multi-b-'))];
    // One after the other: two first starts at the same instant race on creating pg-boss's schema (reported, issue 10).
    for (const dir of dataDirs) servers.push(await startServer({ ...env, VIGIE_DATA_DIR: dir }, { timeoutMs: 90_000 }));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin?.end();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a published edition and a correction are seen by both servers, cached pages included', async () => {
    // Both servers have the current edition's page and API answer in memory.
    for (const s of servers) {
      assert.match((await text(`${s.origin}/observatoire`)).body, /Hiver multi/);
      assert.doesNotMatch((await text(`${s.origin}/observatoire?q=0001`)).body, /1,5/);
      assert.equal((await text(`${s.origin}/api/v1/editions/latest`)).status, 200);
    }
    // A third writer (the test) publishes: neither server did it, so only the shared version tells them.
    const next = await createDraft(db, { name: 'Printemps multi', period: 'T2', windowStart: '2026-04-01', windowEnd: '2026-06-30' }, null);
    await publishEdition(db, next, null);
    await seenByBoth(servers, async (o) => /Printemps multi/.test((await text(`${o}/observatoire`)).body), 'published edition (page)');
    await seenByBoth(
      servers,
      async (o) => JSON.parse((await text(`${o}/api/v1/editions/latest`)).body).id === next,
      'published edition (API)',
    );
    for (const s of servers) assert.doesNotMatch((await text(`${s.origin}/observatoire?q=0001`)).body, /1,5/);
    await correctEdition(db, next, [{ procedureId: procedures[0], indicator: 'satisfaction', value: '1.5' }], 'Correction multi', pilot);
    await seenByBoth(servers, async (o) => /1,5/.test((await text(`${o}/observatoire?q=0001`)).body), 'correction');
    editionId = next;
  });

  test('a changed rule set and an indicator renamed are seen by both servers', async () => {
    for (const s of servers) await text(`${s.origin}/api/v1/rule-sets`);
    const rules = await loadRuleSet(db);
    const { version: _v, ...content } = rules;
    const version = await saveRuleSet(db, content, 'Version multi', pilot.id);
    await seenByBoth(
      servers,
      async (o) => JSON.parse((await text(`${o}/api/v1/rule-sets`)).body).items.some((s: { version: number }) => s.version === version),
      'rule set',
    );
    await db.query(`UPDATE obs_indicators SET label = 'Satisfaction des usagers (multi)' WHERE slug = 'satisfaction'`);
    await seenByBoth(
      servers,
      async (o) => /Satisfaction des usagers \(multi\)/.test((await text(`${o}/observatoire`)).body),
      'indicator label',
    );
  });

  test('a closed feedback button is closed on both servers', async () => {
    const f = await createFeedbackFixture(db, 'msfb');
    for (const s of servers) assert.equal((await text(`${s.origin}/avis/b/${f.button.publicKey}`)).status, 200);
    await db.query('UPDATE feedback_buttons SET closed_at = now() WHERE id = $1', [f.button.id]);
    await seenByBoth(servers, async (o) => (await text(`${o}/avis/b/${f.button.publicKey}`)).status === 410, 'closed button');
  });

  test('a revoked API key and a revoked session stop working on both servers', async () => {
    const { key } = await createApiKey(db, pilot.id, 'Intégration multi');
    const token = await createSession(db, pilot.id, 'multi-server test');
    const withKey = (o: string) => text(`${o}/api/v1/feedback/procedures`, { headers: { authorization: `Bearer ${key}` } });
    const withSession = (o: string) => text(`${o}/compte`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
    for (const s of servers) {
      assert.equal((await withKey(s.origin)).status, 200);
      assert.equal((await withSession(s.origin)).status, 200);
    }
    await db.query('UPDATE api_keys SET revoked_at = now() WHERE user_id = $1', [pilot.id]);
    await destroySession(db, token);
    await seenByBoth(servers, async (o) => (await withKey(o)).status === 401, 'revoked API key');
    await seenByBoth(servers, async (o) => (await withSession(o)).status === 303, 'revoked session');
  });

  test('a rate limit reached through one server holds on the other', async () => {
    const [a, b] = servers;
    const attempt = (o: string) =>
      text(`${o}/mot-de-passe-oublie`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=limite%40exemple.gouv.fr',
      });
    for (let i = 0; i < SIGN_UP_RATE_LIMIT.max; i++)
      assert.notEqual((await attempt(i % 2 ? a.origin : b.origin)).status, 429, `attempt ${i + 1}`);
    assert.equal((await attempt(a.origin)).status, 429);
    assert.equal((await attempt(b.origin)).status, 429);
  });

  test('a scheduled job runs once per occurrence, whichever server picks it up', { timeout: 150_000 }, async () => {
    // Every minute instead of every 15: the servers' pg-boss instances both watch the schedules (the test only writes one).
    const boss = new PgBoss({ connectionString: databaseUrl, schedule: false, supervise: false, migrate: false });
    await boss.start();
    try {
      const since = new Date();
      await boss.schedule(ALERTS_QUEUE, '* * * * *', {}, { tz: 'Europe/Paris' });
      // pg-boss looks at schedules every 30 s and a minute boundary must pass: up to about 2 minutes.
      const deadline = Date.now() + 140_000;
      let runs: { minute: string; n: number; completed: number }[] = [];
      while (Date.now() < deadline) {
        const { rows } = await db.query<{ minute: string; n: number; completed: number }>(
          `SELECT date_trunc('minute', created_on)::text AS minute, count(*)::int AS n, count(*) FILTER (WHERE state = 'completed')::int AS completed
             FROM pgboss.job WHERE name = $1 AND created_on >= $2 GROUP BY 1 ORDER BY 1`,
          [ALERTS_QUEUE, since],
        );
        runs = rows;
        if (rows.some((r) => r.completed > 0)) break;
        await sleep(2_000);
      }
      assert.ok(
        runs.some((r) => r.completed > 0),
        `no scheduled run completed: ${JSON.stringify(runs)}`,
      );
      for (const r of runs) assert.equal(r.n, 1, `minute ${r.minute}: ${r.n} jobs for one occurrence`);
    } finally {
      await boss.stop({ graceful: false, close: true, wait: true });
    }
  });
});
