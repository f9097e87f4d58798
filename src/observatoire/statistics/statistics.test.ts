import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createFeedbackFixture, type FeedbackFixture } from '../../feedback/testing.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);

for (const target of TEST_TARGETS) {
  describe(`observatoire: intervals, « incertain » and tested changes between editions (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let first: number;
    let second: number;
    let stableId: string;
    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'stat');
      const procedureId = f.catalog.procedures[0];
      await t.db.query('UPDATE procedures SET in_scope = true WHERE id = $1', [procedureId]);
      stableId = (await t.db.query('SELECT stable_id FROM procedures WHERE id = $1', [procedureId])).rows[0].stable_id;
      await t.db.query(
        `INSERT INTO app_settings (key, value) VALUES ('feedback_min_reviews', '10') ON CONFLICT (key) DO UPDATE SET value = '10'`,
      );
      const rollup = (day: string, question: string, option: string, count: number) =>
        t.db.query(
          'INSERT INTO feedback_rollups (procedure_id, form_id, button_id, day, question, option_id, count) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [procedureId, f.formId, f.button.id, day, question, option, count],
        );
      // Winter: satisfaction 20 « good » (10), 15 « medium » (5), 15 « bad » (0); help reached 81 « yes » of 263.
      for (const [q, o, n] of [
        ['_review', 'all', 50],
        ['satisfaction', 'good', 20],
        ['satisfaction', 'medium', 15],
        ['satisfaction', 'bad', 15],
        ['help_reached', 'yes', 81],
        ['help_reached', 'no', 182],
      ] as const)
        await rollup('2026-02-10', q, o, n);
      // Spring: 30, 10, 10; 120 « yes » of 300.
      for (const [q, o, n] of [
        ['_review', 'all', 50],
        ['satisfaction', 'good', 30],
        ['satisfaction', 'medium', 10],
        ['satisfaction', 'bad', 10],
        ['help_reached', 'yes', 120],
        ['help_reached', 'no', 180],
      ] as const)
        await rollup('2026-05-10', q, o, n);
      first = await createDraft(t.db, { name: 'Hiver', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
      await publishEdition(t.db, first, null, null, new Date('2026-04-01T08:00:00Z'));
      second = await createDraft(t.db, { name: 'Printemps', period: 'T2', windowStart: '2026-04-01', windowEnd: '2026-06-30' }, null);
      await publishEdition(t.db, second, null, null, new Date('2026-07-01T08:00:00Z'));
    });
    after(async () => t.close());

    test('API: each measured cell with its 95 % interval, n and « incertain » (expected values from SciPy 1.17)', async () => {
      const res = await t.app.inject(`/api/v1/editions/${second}/statistics`);
      assert.equal(res.statusCode, 200);
      const items = res.json().items as {
        stableId: string;
        indicator: string;
        value: number;
        lower: number;
        upper: number;
        n: number;
        method: string;
        uncertain: boolean;
      }[];
      const satisfaction = items.find((i) => i.stableId === stableId && i.indicator === 'satisfaction')!;
      // Mean 7 of 50 marks; SciPy t interval of the 50 raw marks: 5.8517 – 8.1483, which straddles the threshold 8.
      close(satisfaction.value, 7);
      close(satisfaction.lower, 5.851671293069006, 1e-8);
      close(satisfaction.upper, 8.148328706930993, 1e-8);
      assert.equal(satisfaction.n, 50);
      assert.equal(satisfaction.method, 't');
      assert.equal(satisfaction.uncertain, true);
      const winter = (await t.app.inject(`/api/v1/editions/${first}/statistics`))
        .json()
        .items.find((i: { indicator: string }) => i.indicator === 'help_reachable');
      // Wilson 81/263 = 25,53 % – 36,62 % (published example): far below the thresholds 70 and 85.
      close(winter.lower, 25.52885198782742, 1e-8);
      close(winter.upper, 36.62095769828, 1e-8);
      assert.equal(winter.n, 263);
      assert.equal(winter.uncertain, false);
      // Indicators without answers have no interval.
      assert.equal(items.filter((i) => i.indicator === 'simplicity').length, 0);
    });

    test('API comparison: tests, Benjamini–Hochberg over the comparison, flags (SciPy p-values; adjustment by hand)', async () => {
      const res = await t.app.inject(`/api/v1/comparisons?de=${first}&a=${second}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.tests, 2);
      const reach = body.items.find((i: { indicator: string }) => i.indicator === 'help_reachable');
      const sat = body.items.find((i: { indicator: string }) => i.indicator === 'satisfaction');
      close(reach.pValue, 0.02299447675775155, 1e-10); // chi2_contingency([[81, 182], [120, 180]], correction=False)
      close(sat.pValue, 0.0716730876195, 1e-9); // ttest_ind(equal_var=False) on the raw marks
      // By hand: m = 2; 0.0230 × 2 / 1 = 0.0460 ≤ 0.05 → significant; 0.0717 × 2 / 2 = 0.0717 → not.
      close(reach.adjustedPValue, 2 * 0.02299447675775155, 1e-10);
      assert.equal(reach.significant, true);
      assert.equal(reach.flag, 'up');
      assert.equal(sat.significant, false);
      assert.equal(sat.flag, 'stable');
      close(reach.difference, 100 * (120 / 300 - 81 / 263), 1e-9);
      assert.equal((await t.app.inject('/api/v1/comparisons?de=x&a=1')).statusCode, 400);
    });

    test('pages: the procedure history and the comparison say « hausse significative », « stable » and « incertain »', async () => {
      const page = (await t.app.inject(`/observatoire/demarches/${encodeURIComponent(stableId)}`)).body;
      assert.match(page, /incertain<\/span>/);
      assert.match(page, /hausse significative/);
      assert.match(page, /stable<\/span>/);
      assert.match(page, /25,5 à 36,6 % \(263 réponses\)/);
      // Uptime and the RGAA rate are not samples: their interval column says so instead of a dash.
      assert.match(
        page,
        /<a href="[^"]*uptime[^"]*">[^<]*<\/a><\/th><td>.*?<\/td><td>[^<]*<\/td><td>sans objet : mesure de temps, chaque minute est observée<\/td>/,
      );
      const compare = (await t.app.inject(`/observatoire/comparaison?de=${first}&a=${second}&indicateur=help_reachable`)).body;
      assert.match(compare, /Évolutions significatives des valeurs/);
      assert.match(compare, /<th scope="row">Aide joignable<\/th><td>1<\/td><td>0<\/td><td>0<\/td>/);
      assert.match(compare, /<th scope="row">Satisfaction usagers<\/th><td>0<\/td><td>0<\/td><td>1<\/td>/);
      assert.equal((await t.app.inject('/aide/statistiques')).statusCode, 200);
    });

    test('the public edition table shows each measured value with its interval, n and « incertain » (SciPy 1.17 figures)', async () => {
      const page = (await t.app.inject(`/observatoire/editions/${second}`)).body;
      const row = page.slice(page.indexOf('<tbody>'), page.indexOf('</tbody>'));
      // Satisfaction 7 / 10 on 50 marks, t interval 5,85 – 8,15: holds the threshold 8 → « incertain ».
      assert.match(
        row,
        /incertain<\/span><span class="obs-value">7 \/ 10<\/span><span class="vigie-ci fr-text--xs">IC 95 % : 5,9 à 8,1 \/ 10 · 50 réponses<\/span>/,
      );
      // Help reachable 120 of 300 = 40 %: Wilson 34,62 % – 45,64 % (binomtest(120, 300).proportion_ci(method='wilson')), below 70: sure.
      assert.match(
        row,
        /<span class="obs-value">40 %<\/span><span class="vigie-ci fr-text--xs">IC 95 % : 34,6 à 45,6 % · 300 réponses<\/span>/,
      );
      assert.equal((row.match(/incertain<\/span>/g) ?? []).length, 1);
    });

    test('the edition export carries the interval, n and « incertain » of each measured value', async () => {
      const res = await t.app.inject(`/observatoire/editions/${second}/export.csv`);
      assert.equal(res.statusCode, 200);
      const text = res.rawPayload.toString('utf8').replace(/^\uFEFF/, '');
      const [head, ...lines] = text.trim().split('\n');
      const columns = head!.split(',');
      const row = lines.map((l) => l.split(',')).find((cells) => cells.includes(stableId))!;
      const cell = (key: string) => row[columns.indexOf(key)];
      assert.ok(Math.abs(Number(cell('satisfaction_ic95_bas')) - 5.851671293069006) < 1e-8);
      assert.equal(cell('satisfaction_n'), '50');
      assert.equal(cell('satisfaction_incertain'), 'true');
      assert.equal(cell('simplicity_n'), '');
    });
  });
}
