import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { COUNTER_CLEANUP_INTERVAL_MS, oldCounterCleaner } from './abuse.ts';

for (const target of TEST_TARGETS) {
  describe(`rate counters clean-up (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
    });
    after(async () => t.close());

    const counters = async () => {
      const { rows } = await t.db.query<{ ip_hash: string }>(
        `SELECT ip_hash FROM feedback_rate WHERE ip_hash LIKE 'clean-%' ORDER BY ip_hash`,
      );
      return rows.map((r) => r.ip_hash);
    };
    const addCounter = (ip: string, minutesAgo: number) =>
      t.db.query(
        `INSERT INTO feedback_rate (ip_hash, minute, shard, count) VALUES ($1, date_trunc('minute', now()) - make_interval(mins => $2), 0, 1)`,
        [ip, minutesAgo],
      );

    test('counters older than 10 minutes are deleted at most once per interval, the recent ones kept', async () => {
      const clean = oldCounterCleaner();
      await addCounter('clean-old-1', 20);
      await addCounter('clean-recent', 2);
      const start = 1_000_000;
      await clean(t.db, start);
      assert.deepEqual(await counters(), ['clean-recent']);
      await addCounter('clean-old-2', 30);
      await clean(t.db, start + 1_000);
      await clean(t.db, start + COUNTER_CLEANUP_INTERVAL_MS - 1);
      assert.deepEqual(await counters(), ['clean-old-2', 'clean-recent'], 'nothing deleted within the interval');
      await clean(t.db, start + COUNTER_CLEANUP_INTERVAL_MS);
      assert.deepEqual(await counters(), ['clean-recent']);
    });

    test('the clean-up finds old counters by minute without reading every address', async () => {
      await t.db.query(
        `INSERT INTO feedback_rate (ip_hash, minute, shard, count)
         SELECT 'clean-many-' || g, date_trunc('minute', now()) - make_interval(mins => g % 8), (g % 8)::smallint, 1 FROM generate_series(1, 5000) g`,
      );
      await t.db.query('ANALYZE feedback_rate');
      const { rows } = await t.db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN DELETE FROM feedback_rate WHERE minute < now() - interval '10 minutes'`,
      );
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.doesNotMatch(plan, /Seq Scan on feedback_rate/, plan);
      assert.match(plan, /feedback_rate_minute/, plan);
    });
  });
}
