import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';

for (const target of TEST_TARGETS) {
  describe(`named (prepared) statements (${target})`, () => {
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
    });
    after(async () => db.destroy());

    test('a named statement answers like a plain one, again and again, with other values, in and out of a transaction', async () => {
      const text = 'SELECT $1::int + 1 AS n, $2::text AS s';
      const count = db.queryCount;
      for (const n of [1, 2, 3, 4, 5, 6, 7]) {
        const { rows } = await db.query(text, [n, `v${n}`], { name: 'kernel_test_add' });
        assert.deepEqual(rows, [{ n: n + 1, s: `v${n}` }]);
      }
      assert.equal(db.queryCount - count, 7);
      const inTx = await db.transaction(async (tx) => (await tx.query(text, [41, 'x'], { name: 'kernel_test_add' })).rows[0].n);
      assert.equal(inTx, 42);
      await assert.rejects(db.query('SELECT $1::int / 0 AS n', [1], { name: 'kernel_test_div' }));
    });
  });
}
