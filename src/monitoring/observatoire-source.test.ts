import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDb, TEST_TARGETS, type TestDb } from '../../test/helpers/db.ts';
import { monitoringIndicatorSource, windowEnd } from './observatoire-source.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire « uptime » and « performance » from monitoring (${target})`, () => {
    let db: TestDb;
    let c: TestCatalog;
    before(async () => {
      db = await openTestDb(target);
      c = await createTestCatalog(db, { prefix: 'obsmon' });
    });
    after(() => db.destroy());

    test('3 months before the end of the edition, counted in time; a procedure without monitored pages keeps its manual value', async () => {
      // Edition window ending 30 June 2026: the period is 30 March 22:00 UTC → 30 June 22:00 UTC (Paris midnights,
      // summer time), 92 days = 132 480 minutes.
      assert.equal(windowEnd('2026-06-30', new Date('2027-01-01')).toISOString(), '2026-06-30T22:00:00.000Z');
      const { rows } = await db.query(
        `INSERT INTO monitoring_targets (procedure_id, kind, url, monitored_since) VALUES ($1, 'start', 'https://a.example/', '2026-01-01T00:00:00Z') RETURNING id`,
        [c.procedures[0]],
      );
      // 9 h of incident in May, and one before the period (not counted).
      await db.query(
        `INSERT INTO monitoring_incidents (target_id, started_at, ended_at, cause) VALUES
           ($1, '2026-05-10T08:00:00Z', '2026-05-10T17:00:00Z', '5xx'), ($1, '2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z', 'dns')`,
        [rows[0].id],
      );
      await db.query(`INSERT INTO obs_live_values (procedure_id, indicator, value) VALUES ($1, 'uptime', '98.7'), ($2, 'uptime', '97.1')`, [
        c.procedures[0],
        c.procedures[1],
      ]);
      const values = await monitoringIndicatorSource.valuesFor(db, c.procedures, { start: '2026-04-01', end: '2026-06-30' });
      // (132 480 − 540) / 132 480 = 99.592391…, truncated to 99.592.
      assert.equal(values.get(c.procedures[0])!.uptime, 99.592);
      assert.equal(values.get(c.procedures[1])!.uptime, '97.1', 'not monitored: the value entered by hand');
      assert.equal(values.enteredByHand?.get(c.procedures[0]), undefined, 'measured: the typed 98.7 is not used, nothing marked');
      assert.deepEqual([...(values.enteredByHand?.get(c.procedures[1]) ?? [])], ['uptime'], 'marked « saisie manuelle »');
    });

    test("« performance »: the mean of the pages' mean load times in the 3 months; errors and older loads left out; manual value otherwise", async () => {
      const { rows } = await db.query(
        `INSERT INTO monitoring_targets (procedure_id, kind, url, monitored_since) VALUES ($1, 'start', 'https://perf.example/', '2026-01-01T00:00:00Z'),
           ($1, 'step', 'https://perf.example/etape', '2026-01-01T00:00:00Z') RETURNING id`,
        [c.procedures[0]],
      );
      const [start, step] = rows.map((r) => Number(r.id));
      // Start page: 300 and 500 ms (mean 400); a timeout (no time) and a load of 5 000 ms in February (before the period)
      // are left out. Step page: 1 000 ms once. Mean of the pages: (400 + 1 000) / 2 = 700, not (300 + 500 + 1 000) / 3.
      await db.query(
        `INSERT INTO monitoring_page_loads (target_id, measured_at, load_ms, error) VALUES
           ($1, '2026-04-10T10:00:00Z', 300, NULL), ($1, '2026-05-10T10:00:00Z', 500, NULL), ($1, '2026-05-11T10:00:00Z', NULL, 'timeout'),
           ($1, '2026-02-10T10:00:00Z', 5000, NULL), ($2, '2026-06-01T10:00:00Z', 1000, NULL)`,
        [start, step],
      );
      await db.query(`INSERT INTO obs_live_values (procedure_id, indicator, value) VALUES ($1, 'performance', '350')`, [c.procedures[1]]);
      const values = await monitoringIndicatorSource.valuesFor(db, [c.procedures[0], c.procedures[1]], {
        start: '2026-04-01',
        end: '2026-06-30',
      });
      assert.equal(values.get(c.procedures[0])!.performance, 700);
      assert.equal(values.get(c.procedures[1])!.performance, '350', 'nothing measured: the value entered by hand');
      assert.equal(values.enteredByHand?.get(c.procedures[0]), undefined);
      assert.deepEqual([...(values.enteredByHand?.get(c.procedures[1]) ?? [])], ['uptime', 'performance']);
      assert.deepEqual(monitoringIndicatorSource.indicators, ['uptime', 'performance'], 'registered as live values');
    });
  });
}
