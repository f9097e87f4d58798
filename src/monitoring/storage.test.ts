import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDb, TEST_TARGETS, type TestDb } from '../../test/helpers/db.ts';
import { cleanupProbes, ensureProbePartitions } from './storage.ts';
import { createTestCatalog } from '../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`monitoring raw probes in monthly partitions (${target})`, () => {
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
      await createTestCatalog(db, { prefix: 'part' });
    });
    after(() => db.destroy());

    test('months created ahead; rows land in their month; months past the retention are dropped', async () => {
      const now = new Date(Date.UTC(2026, 6, 15)); // 15 July 2026
      assert.deepEqual(await ensureProbePartitions(db, new Date(Date.UTC(2026, 2, 10)), 0), ['2026-02', '2026-03']);
      assert.deepEqual(await ensureProbePartitions(db, now, 2), ['2026-06', '2026-07', '2026-08', '2026-09']);
      assert.deepEqual(await ensureProbePartitions(db, now, 2), [], 'idempotent');
      const insert = (at: Date) =>
        db.query(`INSERT INTO monitoring_probes (target_id, location, probed_at, ok) VALUES (1, 'x', $1, true)`, [at]);
      await insert(new Date(Date.UTC(2026, 2, 20))); // March
      await insert(new Date(Date.UTC(2026, 3, 10))); // 10 April: no partition, goes to the default one
      await insert(new Date(Date.UTC(2026, 5, 20))); // June
      await insert(new Date(Date.UTC(2026, 6, 14))); // July
      const { rows } = await db.query(`SELECT tableoid::regclass::text AS part FROM monitoring_probes ORDER BY probed_at`);
      assert.deepEqual(
        rows.map((r) => r.part.replace(/^.*\./, '')),
        ['monitoring_probes_2026_03', 'monitoring_probes_default', 'monitoring_probes_2026_06', 'monitoring_probes_2026_07'],
      );
      // A month created after its rows landed in the default partition: they are moved into it.
      await insert(new Date(Date.UTC(2026, 9, 5))); // October: no partition yet
      assert.deepEqual(await ensureProbePartitions(db, new Date(Date.UTC(2026, 9, 1)), 0), ['2026-10']);
      const { rows: october } = await db.query(
        `SELECT tableoid::regclass::text AS part FROM monitoring_probes WHERE probed_at >= '2026-10-01'`,
      );
      assert.deepEqual(
        october.map((r) => r.part.replace(/^.*\./, '')),
        ['monitoring_probes_2026_10'],
      );
      await db.query(`DELETE FROM monitoring_probes WHERE probed_at >= '2026-10-01'`);
      // 90 days before 15 July is 16 April: February and March are dropped whole, the April row deleted.
      const result = await cleanupProbes(db, 90, now);
      assert.deepEqual(result.droppedPartitions, ['monitoring_probes_2026_02', 'monitoring_probes_2026_03']);
      assert.equal(result.deletedRows, 1);
      const { rows: left } = await db.query(`SELECT count(*)::int AS n FROM monitoring_probes`);
      assert.equal(left[0].n, 2);
    });
  });
}
