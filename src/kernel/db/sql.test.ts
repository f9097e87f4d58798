import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { run, sql } from './sql.ts';

test('values become numbered parameters and fragments are spliced in with theirs', () => {
  const scope = sql`a.ministry_id = ANY(${[1, 2]}::bigint[])`;
  const statement = sql`SELECT 1 FROM t a WHERE a.title = ${"l'avis"} AND ${scope} AND a.n > ${3}`;
  assert.deepEqual(statement.toQuery(), {
    text: 'SELECT 1 FROM t a WHERE a.title = $1 AND a.ministry_id = ANY($2::bigint[]) AND a.n > $3',
    values: ["l'avis", [1, 2], 3],
  });
  const or = sql.join([sql`x = ${1}`, sql`y = ${2}`, sql`z = ${3}`], ' OR ');
  assert.deepEqual(sql`WHERE (${or}) AND w = ${4}`.toQuery(), {
    text: 'WHERE (x = $1 OR y = $2 OR z = $3) AND w = $4',
    values: [1, 2, 3, 4],
  });
  assert.deepEqual(sql.join([], ', ').toQuery(), { text: '', values: [] });
  assert.throws(() => sql.identifier('id; DROP TABLE users'), /identifiant SQL refusé/);
  // Text of the code is spliced as is, between numbered values.
  assert.deepEqual(
    sql`${sql.trusted('SELECT p.id FROM procedures p')} WHERE p.id > ${7} ${sql.trusted('ORDER BY p.id DESC')} LIMIT ${50}`.toQuery(),
    {
      text: 'SELECT p.id FROM procedures p WHERE p.id > $1 ORDER BY p.id DESC LIMIT $2',
      values: [7, 50],
    },
  );
});

for (const target of TEST_TARGETS) {
  describe(`sql tagged template on ${target}`, () => {
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
    });
    after(async () => db.destroy());

    test('a value that looks like SQL stays a value', async () => {
      const hostile = "x' OR '1'='1";
      const { rows } = await run<{ same: boolean; n: number }>(
        db,
        sql`SELECT ${hostile}::text = ${"x' OR '1'='1"}::text AS same, ${sql`${40}::int + ${2}::int`} AS n`,
      );
      assert.deepEqual(rows, [{ same: true, n: 42 }]);
    });
  });
}
