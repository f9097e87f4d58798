import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { insertButton, insertForm } from '../forms/queries.ts';
import { createReview, deleteReview, replaceAnswers, setReviewTexts, type Answer } from '../storage/reviews.ts';
import { indicatorsBy, previousWindow } from './indicators.ts';
import { feedbackIndicatorSource } from './observatoire-source.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

let nonce = 0;

/** One review through the same storage functions as the questionnaire. */
async function review(db: TestDb, form: { formId: number; buttonId: number; procedureId: number }, answers: Answer[], verbatim?: string) {
  return db.transaction(async (tx) => {
    const first = answers.filter((a) => a.question === 'satisfaction');
    const key = (await createReview(tx, { ...form, formVersion: 1, nonce: `n${nonce++}`, lang: 'fr' }, first))!;
    const rest = answers.filter((a) => a.question !== 'satisfaction');
    if (rest.length) await replaceAnswers(tx, key, [...new Set(rest.map((a) => a.question))], rest);
    if (verbatim) await setReviewTexts(tx, key, { verbatim, maskedCount: 0 });
    return key;
  });
}

const a = (question: string, optionId: string, sub = ''): Answer => ({ question, sub, optionId });

for (const target of TEST_TARGETS) {
  describe(`feedback indicators computed by hand (${target})`, () => {
    let db: TestDb;
    let c: TestCatalog;
    const window = { start: '2000-01-01', end: '2100-01-01' };
    let formA: { formId: number; buttonId: number; procedureId: number };

    before(async () => {
      db = await openTestDb(target);
      c = await createTestCatalog(db, { prefix: 'ind' });
      const procedureId = c.procedures[0];
      const fA = await insertForm(db, { procedureId, template: 'default', name: 'A' }, null);
      const bA = await insertButton(db, { formId: fA, name: 'A', placement: '', isTest: false });
      formA = { formId: fA, buttonId: bA.id, procedureId };
      // Form A: five reviews.
      await review(
        db,
        formA,
        [
          a('satisfaction', 'good'),
          a('clarity', 'very_good'),
          a('help_tried', 'phone'),
          a('help_tried', 'counter'),
          a('help_reached', 'yes', 'phone'),
          a('help_reached', 'yes', 'counter'),
          a('help_quality', 'good', 'phone'),
          a('help_quality', 'excellent', 'counter'),
        ],
        'Bien.',
      );
      await review(db, formA, [a('satisfaction', 'good'), a('clarity', 'good'), a('help_tried', 'none')]);
      await review(
        db,
        formA,
        [a('satisfaction', 'good'), a('clarity', 'bad'), a('help_tried', 'email'), a('help_reached', 'no', 'email')],
        'Injoignable.',
      );
      await review(db, formA, [a('satisfaction', 'medium')]);
      await review(db, formA, [a('satisfaction', 'bad')]);
      // A deleted review counts nowhere.
      const deleted = await review(db, formA, [a('satisfaction', 'bad'), a('clarity', 'very_bad')], 'Supprimé');
      await db.transaction((tx) => deleteReview(tx, deleted, 'insulte', 1));
      // Form C, same procedure: one more review (procedure level = weighted over both forms).
      const fC = await insertForm(db, { procedureId, template: 'default', name: 'C' }, null);
      const bC = await insertButton(db, { formId: fC, name: 'C', placement: '', isTest: false });
      await review(db, { formId: fC, buttonId: bC.id, procedureId }, [a('satisfaction', 'good')]);
      // Test buttons and the « Signaler un problème » template feed nothing.
      const bTest = await insertButton(db, { formId: fA, name: 'Essai', placement: '', isTest: true });
      await review(db, { ...formA, buttonId: bTest.id }, [a('satisfaction', 'bad')]);
      const fP = await insertForm(db, { procedureId, template: 'problem', name: 'P' }, null);
      const bP = await insertButton(db, { formId: fP, name: 'P', placement: '', isTest: false });
      await review(db, { formId: fP, buttonId: bP.id, procedureId }, [a('problem_kind', 'technical')], 'Bug');
    });
    after(async () => db.destroy());

    test('form A: each indicator equals the hand computation', async () => {
      const ind = (await indicatorsBy(db, 'form', [formA.formId], window)).get(formA.formId)!;
      assert.equal(ind.reviews, 5);
      assert.equal(ind.verbatims, 2);
      assert.equal(ind.satisfaction, (10 + 10 + 10 + 5 + 0) / 5); // 7
      assert.ok(Math.abs(ind.clarity! - (10 + 7.5 + 2.5) / 3) < 1e-9); // 6.67
      assert.ok(Math.abs(ind.helpReachable! - (100 * 2) / 3) < 1e-9); // 2 « oui » of 3 answers
      assert.equal(ind.helpEfficient, (7.5 + 10) / 2); // 8.75
      assert.ok(Math.abs(ind.autonomy! - 100 / 3) < 1e-9); // 1 « pas besoin » of 3 reviews answering
    });

    test('form A: moments from the counts per mark, and the 95 % intervals (expected values from SciPy 1.17)', async () => {
      const ind = (await indicatorsBy(db, 'form', [formA.formId], window)).get(formA.formId)!;
      // Satisfaction marks 10, 10, 10, 5, 0: n 5, Σ 35, Σ² 325.
      assert.deepEqual(ind.moments.satisfaction, { n: 5, sum: 35, sumSquares: 325 });
      assert.deepEqual(ind.moments.helpReachable, { n: 3, sum: 2, sumSquares: 2 });
      // SciPy: t interval of [10, 10, 10, 5, 0] (t.ppf(0.975, 4)): 1.4471 to 12.55, clipped to 10.
      const s = ind.estimates.satisfaction!;
      assert.ok(Math.abs(s.lower - 1.4471097896044132) < 1e-9);
      assert.equal(s.upper, 10);
      assert.equal(s.n, 5);
      // SciPy binomtest(2, 3).proportion_ci(method='wilson'), in %.
      assert.ok(Math.abs(ind.estimates.helpReachable!.lower - 20.76596008020478) < 1e-9);
      assert.ok(Math.abs(ind.estimates.helpReachable!.upper - 93.85080552796038) < 1e-9);
      assert.ok(Math.abs(ind.estimates.autonomy!.lower - 6.1491944720396265) < 1e-9);
    });

    test('procedure, administration and ministry: weighted over answers, never an average of averages', async () => {
      for (const [level, id] of [
        ['procedure', c.procedures[0]],
        ['administration', c.administrations[0]],
        ['ministry', c.ministries[0]],
      ] as const) {
        const ind = (await indicatorsBy(db, level, [id], window)).get(id)!;
        assert.equal(ind.reviews, 6, level);
        assert.equal(ind.satisfaction, (35 + 10) / 6, level); // 7.5, where the average of the two forms' averages would be 8.5
      }
      const other = (await indicatorsBy(db, 'procedure', [c.procedures[1]], window)).get(c.procedures[1])!;
      assert.equal(other.reviews, 0);
      assert.equal(other.satisfaction, null);
    });

    test('windows: nothing outside the window; the previous window has the same length', async () => {
      const past = { start: '2001-01-01', end: '2001-12-31' };
      assert.equal((await indicatorsBy(db, 'form', [formA.formId], past)).get(formA.formId)!.reviews, 0);
      assert.deepEqual(previousWindow({ start: '2025-01-01', end: '2025-12-31' }), { start: '2024-01-02', end: '2024-12-31' }); // 365 days in a leap year
      assert.deepEqual(previousWindow({ start: '2025-03-01', end: '2025-03-10' }), { start: '2025-02-19', end: '2025-02-28' });
    });

    test('the observatoire source gives the values, or « avis insuffisants » below the minimum', async () => {
      const values = await feedbackIndicatorSource.valuesFor(db, [c.procedures[0], c.procedures[1]], window);
      assert.equal(values.get(c.procedures[0])!.satisfaction, 'avis_insuffisants', '6 reviews < 100');
      assert.equal(values.get(c.procedures[1])?.satisfaction ?? null, null, 'no form, no stored value: no value');
      await db.query(`INSERT INTO app_settings (key, value) VALUES ('feedback_min_reviews', '5')`);
      const enough = (await feedbackIndicatorSource.valuesFor(db, [c.procedures[0]], window)).get(c.procedures[0])!;
      assert.equal(enough.satisfaction, 7.5);
      assert.equal(enough.help_efficient, 8.75);
      assert.equal(enough.help_reachable, 66.6667);
      assert.equal(enough.help_used, 33.3333);
      await db.query(`DELETE FROM app_settings WHERE key = 'feedback_min_reviews'`);
    });

    test('procedures without a feedback form keep their stored (imported) values', async () => {
      await db.query(`INSERT INTO obs_live_values (procedure_id, indicator, value) VALUES ($1, 'satisfaction', '8.2')`, [c.procedures[1]]);
      const values = await feedbackIndicatorSource.valuesFor(db, [c.procedures[1]], window);
      assert.equal(values.get(c.procedures[1])!.satisfaction, '8.2');
    });
  });
}
