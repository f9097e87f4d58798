import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { eventually, jobsForTest } from '../../kernel/jobs/fixtures/jobs-for-test.ts';
import { todayInParis } from '../backoffice/window.ts';
import { ensureAnswerPartitions, monthsAhead, registerPartitionsJob } from './partitions.ts';

for (const target of TEST_TARGETS) {
  describe(`monthly partitions of the answers kept ahead (${target})`, () => {
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
    });
    after(async () => db.destroy());

    const exists = async (name: string) => (await db.query('SELECT to_regclass($1) IS NOT NULL AS e', [name])).rows[0].e as boolean;
    const answer = (day: string, reviewId: number) =>
      db.query(`INSERT INTO feedback_answers (day, review_id, question, option_id) VALUES ($1, $2, 'satisfaction', 'good')`, [
        day,
        reviewId,
      ]);
    /** Where each answer of a review sits: the partition's name. */
    const placeOf = async (reviewId: number) =>
      (await db.query(`SELECT tableoid::regclass::text AS t FROM feedback_answers WHERE review_id = $1`, [reviewId])).rows.map((r) =>
        String(r.t).replace(/^.*\./, ''),
      );

    test('the current month and the next 3 (the default setting) are created; rows already in the default partition move to theirs', async () => {
      assert.equal(await monthsAhead(db), 3);
      assert.equal(await exists('feedback_answers_2031_05'), false);
      await answer('2031-06-15', 1); // no partition yet: lands in the default partition
      await answer('2031-06-30', 2);
      await answer('2031-09-01', 3); // beyond the 3 months ahead: stays in the default partition
      assert.deepEqual(await placeOf(1), ['feedback_answers_default']);

      const created = await ensureAnswerPartitions(db, new Date('2031-05-10T12:00:00Z'));
      assert.deepEqual(created, [
        { month: '2031-05-01', moved: 0 },
        { month: '2031-06-01', moved: 2 },
        { month: '2031-07-01', moved: 0 },
        { month: '2031-08-01', moved: 0 },
      ]);
      assert.deepEqual(await placeOf(1), ['feedback_answers_2031_06']);
      assert.deepEqual(await placeOf(2), ['feedback_answers_2031_06']);
      assert.deepEqual(await placeOf(3), ['feedback_answers_default']);
      assert.equal(await exists('feedback_answers_2031_09'), false);
      // The moved rows are still found through the parent table and its primary key still holds.
      assert.equal(
        (await db.query(`SELECT count(*)::int AS n FROM feedback_answers WHERE day BETWEEN '2031-06-01' AND '2031-06-30'`)).rows[0].n,
        2,
      );
      await assert.rejects(answer('2031-06-15', 1), /duplicate key|unique/);
      // New answers of a created month go straight to its partition.
      await answer('2031-07-04', 4);
      assert.deepEqual(await placeOf(4), ['feedback_answers_2031_07']);
      // A second run has nothing to do.
      assert.deepEqual(await ensureAnswerPartitions(db, new Date('2031-05-31T21:00:00Z')), []);
    });

    test('the month is the one of Paris, and the number of months ahead is read from app_settings', async () => {
      await db.query(`UPDATE app_settings SET value = '1' WHERE key = 'feedback_partitions_ahead'`);
      try {
        // 31 December 23:30 UTC is already 1 January in Paris.
        const created = await ensureAnswerPartitions(db, new Date('2033-12-31T23:30:00Z'));
        assert.deepEqual(
          created.map((c) => c.month),
          ['2034-01-01', '2034-02-01'],
        );
        assert.equal(await exists('feedback_answers_2033_12'), false);
        assert.equal(await exists('feedback_answers_2034_03'), false);
        await db.query(`UPDATE app_settings SET value = '"beaucoup"' WHERE key = 'feedback_partitions_ahead'`);
        assert.equal(await monthsAhead(db), 3);
      } finally {
        await db.query(`UPDATE app_settings SET value = '3' WHERE key = 'feedback_partitions_ahead'`);
      }
    });

    test('the job runs once at start (pg-boss) and creates the missing months', async () => {
      // Today's month plus 30 months reaches past 2027, the last month the migration created.
      await db.query(`UPDATE app_settings SET value = '30' WHERE key = 'feedback_partitions_ahead'`);
      const { jobs, drop } = await jobsForTest(db);
      try {
        const [year, month] = todayInParis().split('-').map(Number);
        const last = new Date(Date.UTC(year, month - 1 + 30, 1));
        const name = `feedback_answers_${last.getUTCFullYear()}_${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
        assert.equal(await exists(name), false);
        await registerPartitionsJob(db, jobs);
        await eventually(async () => ((await exists(name)) ? true : undefined), `the partition ${name}`);
      } finally {
        await drop();
        await db.query(`UPDATE app_settings SET value = '3' WHERE key = 'feedback_partitions_ahead'`);
      }
    });
  });
}
