import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { seedCatalogDemo } from '../../catalog/index.ts';
import { lastTwelveMonths, seedSupportDemo, splitByWeights, VEHICLE_REGISTRATION } from './seed.ts';

describe('demo figures', () => {
  test('a yearly total split by weights adds up exactly', () => {
    assert.deepEqual(splitByWeights(10, [1, 1, 1]), [3, 3, 4]);
    assert.equal(
      splitByWeights(2_729_737, [1.08, 1.02, 1.1, 1, 0.95, 1, 0.88, 0.72, 1.05, 1.1, 1.05, 1.05]).reduce((s, n) => s + n, 0),
      2_729_737,
    );
  });
  test('the twelve months before the current one', () => {
    assert.deepEqual(lastTwelveMonths('2026-12-03'), [
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
    ]);
  });
});

for (const target of TEST_TARGETS) {
  describe(`support demo (${target})`, () => {
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
      await seedCatalogDemo(db);
      await seedSupportDemo(db, '2026-12-03');
      await seedSupportDemo(db, '2026-12-03'); // idempotent
    });
    after(async () => db.close());

    test('ANTS: 2 729 737 calls and 602 723 mails over the last twelve months; channels; 313 points numériques', async () => {
      const { rows } = await db.query(
        `SELECT sum(calls_received) AS calls, sum(mails_received) AS mails, count(*) AS months FROM support_volumes v JOIN procedures p ON p.id = v.procedure_id
          WHERE p.stable_id = $1 AND v.month BETWEEN '2025-12-01' AND '2026-11-01'`,
        [VEHICLE_REGISTRATION],
      );
      assert.deepEqual(rows[0], { calls: 2_729_737, mails: 602_723, months: 12 });
      const kinds = await db.query(`SELECT kind, count(*) AS n FROM support_points WHERE is_demo GROUP BY kind ORDER BY kind`);
      assert.deepEqual(kinds.rows, [
        { kind: 'france_services', n: 250 },
        { kind: 'point_numerique', n: 313 },
      ]);
      const channels = await db.query(
        `SELECT kind FROM support_channels c JOIN procedures p ON p.id = c.procedure_id WHERE p.stable_id = $1 ORDER BY position`,
        [VEHICLE_REGISTRATION],
      );
      assert.deepEqual(
        channels.rows.map((r) => r.kind),
        ['phone', 'contact_form', 'faq', 'in_person'],
      );
    });
  });
}
