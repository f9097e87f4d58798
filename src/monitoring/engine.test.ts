import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDb, TEST_TARGETS, type TestDb } from '../../test/helpers/db.ts';
import { createTestUser } from '../../test/helpers/users.ts';
import type { MailMessage } from '../kernel/mail/mailer.ts';
import { claimDue, ensureLocation, phaseOf, recordProbe, recordProbes } from './engine.ts';
import { warnCertificates } from './mails.ts';
import type { ProbeResult } from './probe.ts';
import { loadMonitoringSettings } from './settings.ts';
import { startFixtureServer, type FixtureServer } from './testing-server.ts';
import { uptimes } from './uptime.ts';
import { ProbeWorker } from './worker.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

const MIN = 60_000;
const settings = loadMonitoringSettings({
  MONITORING_ALLOWED_RANGES: '127.0.0.0/8',
  MONITORING_INCIDENT_OPEN_AFTER: '2',
  MONITORING_INCIDENT_CLOSE_AFTER: '2',
});

function result(at: number, ok: boolean, errorClass: ProbeResult['errorClass'] = ok ? null : '5xx'): ProbeResult {
  return {
    startedAt: new Date(at),
    ok,
    status: ok ? 200 : 500,
    phases: { dns: 0, connect: 1, tls: 0, firstByte: 10, total: 20 },
    bytes: 100,
    redirects: [],
    certExpiresAt: null,
    errorClass,
    errorMessage: ok ? null : 'code 500',
  };
}

async function addTarget(db: TestDb, procedureId: number, url: string, since: number, interval = 300): Promise<number> {
  const { rows } = await db.query(
    `INSERT INTO monitoring_targets (procedure_id, kind, url, interval_seconds, monitored_since, created_at) VALUES ($1, 'start', $2, $3, $4, $4) RETURNING id`,
    [procedureId, url, interval, new Date(since)],
  );
  return Number(rows[0].id);
}

function memoryMailer() {
  const sent: MailMessage[] = [];
  return { sent, send: async (m: MailMessage) => void sent.push(m), close: async () => {} };
}

for (const target of TEST_TARGETS) {
  describe(`monitoring engine (${target})`, () => {
    let db: TestDb;
    let c: TestCatalog;
    let f: FixtureServer;
    const T0 = Date.UTC(2026, 5, 1, 0, 0, 0);

    before(async () => {
      db = await openTestDb(target);
      c = await createTestCatalog(db, { prefix: 'mon' });
      await createTestUser(db, 'equipe-mon@exemple.gouv.fr', [{ role: 'procedure_editor', procedureId: c.procedures[0] }]);
      f = await startFixtureServer();
    });
    after(async () => {
      await f.close();
      await db.destroy();
    });

    test('first due times are spread over the interval (no thundering herd) and keep their phase', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 300; i++) ids.push(await addTarget(db, c.procedures[1], `https://spread.example/${i}`, T0));
      await ensureLocation(db, 'spread', new Date(T0));
      const { rows } = await db.query(`SELECT target_id, next_due FROM monitoring_schedule WHERE location = 'spread' ORDER BY target_id`);
      assert.equal(rows.length, 300);
      const buckets = new Array(10).fill(0);
      for (const r of rows) {
        const offset = (new Date(r.next_due).getTime() - T0) / 1000;
        assert.ok(offset >= 0 && offset < 300, `offset ${offset}`);
        assert.equal(offset, phaseOf(Number(r.target_id), 300));
        buckets[Math.floor(offset / 30)]++;
      }
      // 300 targets in ten 30-second slices: 30 each on average; none gets more than twice that.
      assert.ok(Math.max(...buckets) <= 60, `buckets ${buckets}`);
      // Two claims at once from the same location: disjoint, every due probe claimed once.
      const at = new Date(T0 + 300_000);
      const [a, b] = await Promise.all([claimDue(db, 'spread', 200, at), claimDue(db, 'spread', 200, at)]);
      const claimed = [...a, ...b].map((x) => x.targetId);
      assert.equal(claimed.length, 300);
      assert.equal(new Set(claimed).size, 300);
      assert.equal((await claimDue(db, 'spread', 500, at)).length, 0);
      // Next due = same phase, next interval (even when claimed late).
      const { rows: after } = await db.query(`SELECT target_id, next_due FROM monitoring_schedule WHERE location = 'spread'`);
      for (const r of after) {
        // Claimed at T0 + 300 s: the next slot after that of the same phase (phase 0 is due right then, so T0 + 600 s).
        const phase = phaseOf(Number(r.target_id), 300);
        assert.equal((new Date(r.next_due).getTime() - T0) / 1000, phase === 0 ? 600 : 300 + phase);
      }
      await db.query(`UPDATE monitoring_targets SET active = false WHERE procedure_id = $1`, [c.procedures[1]]);
    });

    test('confirmed failures open an incident after N, successes close it after M; uptime counted in time by hand', async () => {
      const id = await addTarget(db, c.procedures[0], 'https://incident.example/', T0);
      await ensureLocation(db, 'solo', new Date(T0));
      const rec = (minute: number, ok: boolean) =>
        recordProbe(
          db,
          { targetId: id, location: 'solo', dueAt: new Date(T0 + minute * MIN), result: result(T0 + minute * MIN, ok), retried: !ok },
          settings,
        );
      assert.deepEqual(await rec(60, true), []);
      assert.deepEqual(await rec(65, false), [], 'one confirmed failure: no incident yet');
      const opened = await rec(70, false);
      assert.equal(opened.length, 1);
      assert.equal(opened[0].kind, 'opened');
      assert.equal(opened[0].startedAt.getTime(), T0 + 65 * MIN, 'down since the first failure of the streak');
      assert.deepEqual(await rec(75, true), [], 'one success: still open');
      const closed = await rec(80, true);
      assert.equal(closed[0].kind, 'closed');
      assert.equal(closed[0].endedAt!.getTime(), T0 + 75 * MIN, 'up since the first success');
      // Uptime over 24 h from T0: down 10 min of 1 440 → (1440 − 10) / 1440.
      const day = (await uptimes(db, 'target', [id], new Date(T0), new Date(T0 + 1440 * MIN))).get(id)!;
      assert.equal(day.downMs, 10 * MIN);
      assert.equal(day.monitoredMs, 1440 * MIN);
      assert.equal(day.percent!.toFixed(4), ((1430 / 1440) * 100).toFixed(4));
      // A maintenance window of 2 h (one-off, 10:00–12:00) leaves the monitored time 22 h: (1320 − 10) / 1320.
      await db.query(`INSERT INTO monitoring_maintenance (procedure_id, starts_at, ends_at) VALUES ($1, $2, $3)`, [
        c.procedures[0],
        new Date(T0 + 600 * MIN),
        new Date(T0 + 720 * MIN),
      ]);
      const withMaintenance = (await uptimes(db, 'target', [id], new Date(T0), new Date(T0 + 1440 * MIN))).get(id)!;
      assert.equal(withMaintenance.monitoredMs, 1320 * MIN);
      assert.equal(withMaintenance.percent!.toFixed(4), ((1310 / 1320) * 100).toFixed(4));
      // An incident during maintenance: probes fail at 10:30 and 10:35, no incident opens.
      assert.deepEqual(await rec(630, false), []);
      assert.deepEqual(await rec(635, false), [], 'no incident during maintenance');
      assert.deepEqual(await rec(640, true), []);
      assert.deepEqual(await rec(645, true), []);
      // Changing the interval changes no figure: only incident times count.
      await db.query(`UPDATE monitoring_targets SET interval_seconds = 60 WHERE id = $1`, [id]);
      const again = (await uptimes(db, 'target', [id], new Date(T0), new Date(T0 + 1440 * MIN))).get(id)!;
      assert.equal(again.percent, withMaintenance.percent);
      // Rollups: 8 probes on the day, 4 failures (the raw table is not read by the figures).
      const { rows } = await db.query(
        `SELECT sum(probes)::int AS probes, sum(failures)::int AS failures FROM monitoring_rollups_daily WHERE target_id = $1`,
        [id],
      );
      assert.deepEqual(rows[0], { probes: 9, failures: 4 });
    });

    test('the heartbeat schedules only the targets created since the previous one; the start, all of them', async () => {
      const old = await addTarget(db, c.procedures[0], 'https://old.example/', T0);
      const { rows } = await db.query(
        `INSERT INTO monitoring_targets (procedure_id, kind, url) VALUES ($1, 'start', 'https://new.example/') RETURNING id`,
        [c.procedures[0]],
      );
      const fresh = Number(rows[0].id);
      const scheduled = async () =>
        (
          await db.query(
            `SELECT target_id FROM monitoring_schedule WHERE location = 'beat' AND target_id = ANY($1::bigint[]) ORDER BY target_id`,
            [[old, fresh]],
          )
        ).rows.map((r) => Number(r.target_id));
      await ensureLocation(db, 'beat', new Date(), new Date(Date.now() - 60_000));
      assert.deepEqual(await scheduled(), [fresh], 'created a minute ago or later: scheduled; created in June: left to the start');
      await ensureLocation(db, 'beat', new Date());
      assert.deepEqual(await scheduled(), [old, fresh]);
      await db.query(`UPDATE monitoring_targets SET active = false WHERE id = ANY($1::bigint[])`, [[old, fresh]]);
    });

    test('a batch is recorded as its probes one by one would be: raw rows, rollups, counters, incident', async () => {
      const a = await addTarget(db, c.procedures[0], 'https://batch-a.example/', T0);
      const b = await addTarget(db, c.procedures[0], 'https://batch-b.example/', T0);
      await ensureLocation(db, 'batch', new Date(T0));
      const at = (minute: number) => T0 + 3000 * MIN + minute * MIN;
      const probe = (id: number, minute: number, ok: boolean) => ({
        targetId: id,
        location: 'batch',
        dueAt: new Date(at(minute) - 1000),
        result: result(at(minute), ok),
        retried: !ok,
      });
      const redirected = {
        ...probe(b, 1, true),
        result: {
          ...result(at(1), true),
          redirects: ['https://batch-b.example/x', 'https://batch-b.example/y'],
          phases: { dns: 0, connect: 1, tls: 0, firstByte: 10, total: 50 },
        },
      };
      // One batch: a fails twice (the second in a second round), b succeeds; open after 2 confirmed failures.
      const events = await recordProbes(db, [probe(a, 0, false), redirected, probe(a, 5, false)], settings);
      assert.deepEqual(
        events.map((e) => [e.kind, e.targetId, e.startedAt.getTime()]),
        [['opened', a, at(0)]],
      );
      const { rows: raw } = await db.query(
        `SELECT target_id, ok, redirects, drift_ms FROM monitoring_probes WHERE target_id = ANY($1::bigint[]) ORDER BY probed_at, target_id`,
        [[a, b]],
      );
      assert.deepEqual(
        raw.map((r) => [Number(r.target_id), r.ok, r.redirects, Number(r.drift_ms)]),
        [
          [a, false, [], 1000],
          [b, true, ['https://batch-b.example/x', 'https://batch-b.example/y'], 1000],
          [a, false, [], 1000],
        ],
      );
      // The hour 02:00 UTC of 3 June (T0 + 3 000 min = 2 June 02:00 UTC): a 2 probes, 2 failures, 40 ms; b 1, 0, 50 ms.
      const { rows: hourly } = await db.query(
        `SELECT target_id, hour, probes, failures, total_ms_sum, total_ms_max FROM monitoring_rollups_hourly WHERE target_id = ANY($1::bigint[]) ORDER BY target_id`,
        [[a, b]],
      );
      assert.deepEqual(
        hourly.map((r) => [
          Number(r.target_id),
          new Date(r.hour).toISOString(),
          r.probes,
          r.failures,
          Number(r.total_ms_sum),
          Number(r.total_ms_max),
        ]),
        [
          [a, '2026-06-03T02:00:00.000Z', 2, 2, 40, 20],
          [b, '2026-06-03T02:00:00.000Z', 1, 0, 50, 50],
        ],
      );
      const { rows: daily } = await db.query(
        `SELECT target_id, day::text AS day, probes, failures FROM monitoring_rollups_daily WHERE target_id = ANY($1::bigint[]) ORDER BY target_id`,
        [[a, b]],
      );
      assert.deepEqual(
        daily.map((r) => [Number(r.target_id), r.day, r.probes, r.failures]),
        [
          [a, '2026-06-03', 2, 2],
          [b, '2026-06-03', 1, 0],
        ],
      );
      const { rows: counters } = await db.query(
        `SELECT target_id, failures, successes, down FROM monitoring_schedule WHERE location = 'batch' AND target_id = ANY($1::bigint[]) ORDER BY target_id`,
        [[a, b]],
      );
      assert.deepEqual(
        counters.map((r) => [Number(r.target_id), r.failures, r.successes, r.down]),
        [
          [a, 2, 0, true],
          [b, 0, 1, false],
        ],
      );
      // Two successes of a in one more batch close it, from the first success.
      const closed = await recordProbes(db, [probe(a, 10, true), probe(a, 15, true)], settings);
      assert.deepEqual(
        closed.map((e) => [e.kind, e.endedAt?.getTime()]),
        [['closed', at(10)]],
      );
      await db.query(`UPDATE monitoring_targets SET active = false WHERE id = ANY($1::bigint[])`, [[a, b]]);
    });

    test('an open incident runs to the end of the window; a weekly maintenance is repeated; a procedure unites its targets', async () => {
      const p = c.procedures[1];
      const a = await addTarget(db, p, 'https://a.example/', T0);
      const b = await addTarget(db, p, 'https://b.example/', T0);
      // Incidents by hand: a 01:00–02:00, b 01:30–03:00 (overlap), a from 23:00, still open.
      await db.query(
        `INSERT INTO monitoring_incidents (target_id, started_at, ended_at, cause) VALUES ($1, $3, $4, '5xx'), ($2, $5, $6, 'timeout'), ($1, $7, NULL, 'dns')`,
        [
          a,
          b,
          new Date(T0 + 60 * MIN),
          new Date(T0 + 120 * MIN),
          new Date(T0 + 90 * MIN),
          new Date(T0 + 180 * MIN),
          new Date(T0 + 1380 * MIN),
        ],
      );
      const to = new Date(T0 + 1440 * MIN);
      const byTarget = await uptimes(db, 'target', [a, b], new Date(T0), to);
      assert.equal(byTarget.get(a)!.downMs, 60 * MIN + 60 * MIN);
      assert.equal(byTarget.get(b)!.downMs, 90 * MIN);
      // The procedure: union 01:00–03:00 (2 h) + 23:00–24:00 (1 h) = 180 min of 1 440.
      const proc = (await uptimes(db, 'procedure', [p], new Date(T0), to)).get(p)!;
      assert.equal(proc.downMs, 180 * MIN);
      assert.equal(proc.percent!.toFixed(4), ((1260 / 1440) * 100).toFixed(4));
      // Weekly maintenance, 2 h each Monday from 2026-06-01 00:00 UTC: over 14 days, 4 h excluded, the 01:00–02:00
      // part of incident a (inside the first window) too.
      await db.query(`INSERT INTO monitoring_maintenance (procedure_id, starts_at, ends_at, recurrence) VALUES ($1, $2, $3, 'weekly')`, [
        p,
        new Date(T0),
        new Date(T0 + 120 * MIN),
      ]);
      const twoWeeks = (await uptimes(db, 'target', [a], new Date(T0), new Date(T0 + 14 * 1440 * MIN))).get(a)!;
      assert.equal(twoWeeks.monitoredMs, (14 * 1440 - 240) * MIN);
      // a: 01:00–02:00 is inside maintenance (excluded); 23:00 on day 1 to the end of day 14, minus the second
      // Monday's 2 h: 13 × 1440 + 60 − 120 minutes.
      assert.equal(twoWeeks.downMs, (13 * 1440 + 60 - 120) * MIN);
      await db.query(`UPDATE monitoring_targets SET active = false WHERE procedure_id = $1`, [p]);
    });

    test('two locations: an incident needs both to agree', async () => {
      const id = await addTarget(db, c.procedures[0], 'https://agree.example/', T0);
      const now = new Date(T0 + 2000 * MIN);
      await ensureLocation(db, 'paris', now);
      await ensureLocation(db, 'lyon', now);
      // Both workers alive (heartbeats) throughout.
      await db.query(`UPDATE monitoring_locations SET last_seen_at = $1`, [new Date(T0 + 2030 * MIN)]);
      const rec = (location: string, minute: number, ok: boolean) =>
        recordProbe(
          db,
          { targetId: id, location, dueAt: new Date(T0 + minute * MIN), result: result(T0 + minute * MIN, ok, 'timeout'), retried: !ok },
          settings,
        );
      await rec('paris', 2000, false);
      assert.deepEqual(await rec('paris', 2005, false), [], 'Paris alone says down: no incident');
      await rec('lyon', 2006, true);
      await rec('lyon', 2010, false);
      const opened = await rec('lyon', 2015, false);
      assert.equal(opened.length, 1, 'Lyon agrees: incident');
      assert.equal(opened[0].startedAt.getTime(), T0 + 2010 * MIN, 'from when the second location failed');
      assert.equal(opened[0].cause, 'timeout');
      const { rows } = await db.query(`SELECT locations FROM monitoring_incidents WHERE id = $1`, [opened[0].incidentId]);
      assert.deepEqual([...rows[0].locations].sort(), ['lyon', 'paris']);
      await rec('paris', 2020, true);
      const closed = await rec('paris', 2025, true);
      assert.equal(closed[0]?.kind, 'closed', 'Paris back up: no longer two agreeing');
    });

    test('two workers on the fixture server: retries confirm failures, the incident opens and closes, mails sent once', async () => {
      await db.query(`UPDATE monitoring_targets SET active = false`);
      await db.query(`DELETE FROM monitoring_schedule`);
      await db.query(`DELETE FROM monitoring_locations`);
      let clock = Date.now();
      const now = () => new Date(clock);
      const mailer = memoryMailer();
      const deps = { db, mailer, publicUrl: 'https://vigie.test', settings };
      const id = await addTarget(db, c.procedures[0], `${f.url}/flap`, clock - 3600_000);
      const paris = new ProbeWorker(deps, { location: 'paris', now });
      const lyon = new ProbeWorker(deps, { location: 'lyon', now });
      // Two workers of one location as well: each probe done once.
      const paris2 = new ProbeWorker(deps, { location: 'paris', now });
      await paris.start();
      await lyon.start();
      await paris2.start();
      await paris.stop();
      await lyon.stop();
      await paris2.stop();
      const round = async () => {
        clock += 300_000;
        await Promise.all([paris.tick(), paris2.tick(), lyon.tick()]);
      };
      f.state.hits.clear();
      await round();
      assert.equal(f.state.hits.get('/flap'), 2, 'one probe per location, not per worker');
      f.state.down = true;
      await round();
      assert.equal(f.state.hits.get('/flap'), 2 + 4, 'each failure tried a second time');
      await round();
      let incidents = (await db.query(`SELECT cause, ended_at FROM monitoring_incidents WHERE target_id = $1`, [id])).rows;
      assert.equal(incidents.length, 1);
      assert.equal(incidents[0].cause, '5xx');
      assert.equal(incidents[0].ended_at, null);
      assert.equal(mailer.sent.length, 1);
      assert.equal(mailer.sent[0].to, 'equipe-mon@exemple.gouv.fr');
      assert.match(mailer.sent[0].subject, /Incident ouvert : Démarche de test 1/);
      f.state.down = false;
      await round();
      await round();
      incidents = (await db.query(`SELECT ended_at FROM monitoring_incidents WHERE target_id = $1`, [id])).rows;
      assert.notEqual(incidents[0].ended_at, null);
      assert.equal(mailer.sent.length, 2);
      assert.match(mailer.sent[1].subject, /Incident clos/);
      assert.match(mailer.sent[1].text, /Durée de l’incident : 10 min/);
      const { rows } = await db.query(
        `SELECT location, count(*)::int AS n, bool_and(retried = NOT ok) AS retried_on_failures FROM monitoring_probes WHERE target_id = $1 GROUP BY location ORDER BY location`,
        [id],
      );
      assert.deepEqual(rows, [
        { location: 'lyon', n: 5, retried_on_failures: true },
        { location: 'paris', n: 5, retried_on_failures: true },
      ]);
    });

    test('certificate expiry: one mail 14 days before, not repeated; the expired fixture certificate is recorded', async () => {
      const mailer = memoryMailer();
      const id = await addTarget(db, c.procedures[0], 'https://cert.example/', T0);
      await db.query(`UPDATE monitoring_targets SET cert_expires_at = now() + interval '20 days' WHERE id = $1`, [id]);
      assert.equal(await warnCertificates(db, mailer, 14), 0, '20 days ahead: not yet');
      await db.query(`UPDATE monitoring_targets SET cert_expires_at = now() + interval '13 days' WHERE id = $1`, [id]);
      assert.equal(await warnCertificates(db, mailer, 14), 1);
      assert.equal(await warnCertificates(db, mailer, 14), 0, 'debounced');
      assert.match(mailer.sent[0].subject, /Certificat bientôt expiré/);
      // The probe of the expired self-signed fixture records its expiry on the target.
      const tls = await addTarget(db, c.procedures[0], `${f.expiredTlsUrl}/ok`, Date.now());
      const w = new ProbeWorker({ db, mailer, publicUrl: 'https://vigie.test', settings }, { location: 'tls' });
      await w.runOne({
        targetId: tls,
        procedureId: c.procedures[0],
        url: `${f.expiredTlsUrl}/ok`,
        expectedStatus: 200,
        expectedText: null,
        intervalSeconds: 300,
        dueAt: new Date(),
      });
      const { rows } = await db.query(`SELECT cert_expires_at FROM monitoring_targets WHERE id = $1`, [tls]);
      assert.ok(new Date(rows[0].cert_expires_at).getTime() < Date.now());
      const { rows: probes } = await db.query(`SELECT error_class, retried FROM monitoring_probes WHERE target_id = $1`, [tls]);
      assert.deepEqual(probes, [{ error_class: 'tls', retried: true }]);
    });
  });
}
