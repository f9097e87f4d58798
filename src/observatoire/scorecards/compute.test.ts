import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { deltaPoints, groupScores } from './compute.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire scores (${target})`, () => {
    let db: TestDb;
    let f: TestCatalog;
    let edition: number;
    before(async () => {
      db = await openTestDb(target);
      f = await createTestCatalog(db, { varied: true, procedures: 8 }); // procedures 4 and 8 are not online
      // satisfaction: 1 goal, 2 not, 3 gray (not measured), 4 goal but not online, 5 goal, 6 not, 7 goal, 8 goal but not online
      await setLiveValues(db, f.procedures, 'satisfaction', [9, 3, 'avis_insuffisants', 9, 8, 6, 10, 9]);
      edition = await createDraft(db, { name: 'E', period: 'P', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
      await publishEdition(db, edition, null);
    });
    after(async () => db.destroy());

    test('score = goal reached ÷ measured (gray excluded), procedures not online excluded', async () => {
      const [national] = await groupScores(db, edition, 'national');
      assert.equal(national.procedures, 8);
      // measured online: 1, 2, 5, 6, 7 → reached 1, 5, 7
      assert.deepEqual(national.scores.satisfaction, { indicator: 'satisfaction', reached: 3, measured: 5, score: 60 });
    });

    test('per ministry, and for one ministry only', async () => {
      const byMinistry = await groupScores(db, edition, 'ministry');
      assert.equal(byMinistry.length, 2);
      // odd procedures (1, 3, 5, 7) belong to the second administration (ministry 2)
      const health = byMinistry.find((g) => g.groupId === f.ministries[1])!;
      assert.deepEqual(health.scores.satisfaction, { indicator: 'satisfaction', reached: 3, measured: 3, score: 100 });
      const one = await groupScores(db, edition, 'ministry', f.ministries[0]);
      assert.equal(one.length, 1);
      assert.deepEqual(one[0].scores.satisfaction, { indicator: 'satisfaction', reached: 0, measured: 2, score: 0 });
    });

    test('per user category: a procedure counts in each of its categories', async () => {
      const byCategory = await groupScores(db, edition, 'category');
      // even procedures are for « particuliers », odd ones for « professionnels » (see createTestCatalog's « varied »)
      const pro = byCategory.find((g) => g.groupId === 'professionnels')!;
      assert.equal(pro.groupName, 'Professionnels');
      assert.equal(pro.procedures, 4);
      assert.deepEqual(pro.scores.satisfaction, { indicator: 'satisfaction', reached: 3, measured: 3, score: 100 });
      const one = await groupScores(db, edition, 'category', 'particuliers');
      assert.deepEqual(
        one.map((g) => g.groupId),
        ['particuliers'],
      );
    });

    test('an indicator with nothing measured has no score rather than 0 %', async () => {
      const [national] = await groupScores(db, edition, 'national');
      assert.equal(national.scores.uptime.score, null);
      assert.equal(deltaPoints(60, null), null);
      assert.equal(deltaPoints(60, 45), 15);
    });
  });
}
