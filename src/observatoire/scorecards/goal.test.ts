import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { loadRuleSet, saveRuleSet } from '../rules/repository.ts';
import { previewRuleChange } from '../rules/preview.ts';
import { groupScores } from './compute.ts';
import { goalStanding } from './goal.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

test('reaching the goal: a measured level of a procedure that is online', () => {
  assert.equal(goalStanding({ goal: true, onlineStatus: 'oui' }), 'reached');
  assert.equal(goalStanding({ goal: false, onlineStatus: 'partiel' }), 'missed');
  assert.equal(goalStanding({ goal: null, onlineStatus: 'oui' }), null);
  assert.equal(goalStanding({ goal: true, onlineStatus: 'non' }), null);
  assert.equal(goalStanding({ goal: true, onlineStatus: null }), 'reached');
});

for (const target of TEST_TARGETS) {
  describe(`one number for « reaching the satisfaction goal » (${target})`, () => {
    let db: TestDb;
    let f: TestCatalog;
    before(async () => {
      db = await openTestDb(target);
      f = await createTestCatalog(db, { varied: true, procedures: 8 }); // procedures 4 and 8 are not online
      // 1 goal, 2 not, 3 gray, 4 goal but not online, 5 goal, 6 not (6,0), 7 goal, 8 goal but not online
      await setLiveValues(db, f.procedures, 'satisfaction', [9, 3, 'avis_insuffisants', 9, 8, 6, 10, 9]);
    });
    after(async () => db.destroy());

    test('the rule-set preview counts what the scorecard counts, before and after a threshold change', async () => {
      const first = await createDraft(db, { name: 'E1', period: 'P1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
      await publishEdition(db, first, null);
      const [national] = await groupScores(db, first, 'national');
      // By hand: online and measured 1, 2, 5, 6, 7; reaching 8 or more: 1, 5, 7 (4 and 8 are not online).
      assert.equal(national.scores.satisfaction.reached, 3);

      const rules = await loadRuleSet(db);
      rules.indicators.satisfaction.levels.find((l) => l.goal)!.from = 6;
      const impact = await previewRuleChange(db, first, rules);
      assert.equal(impact.get('satisfaction')!.goalBefore, national.scores.satisfaction.reached);
      // From 6: 1, 5, 6, 7.
      assert.equal(impact.get('satisfaction')!.goalAfter, 4);

      await saveRuleSet(db, rules, 'Objectif à 6', null);
      const second = await createDraft(db, { name: 'E2', period: 'P2', windowStart: '2026-04-01', windowEnd: '2026-06-30' }, null);
      await publishEdition(db, second, null);
      const [after] = await groupScores(db, second, 'national');
      assert.equal(after.scores.satisfaction.reached, impact.get('satisfaction')!.goalAfter);
      assert.equal(after.scores.satisfaction.measured, 5);
    });
  });
}
