import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire procedure, scorecard, comparison and help pages (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let first: number;
    let second: number;
    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 6 });
      await t.db.query(
        `UPDATE procedures SET help_channels = '[{"kind":"telephone","label":"Téléphone","value":"3939","hours":"9 h – 17 h"}]' WHERE id = $1`,
        [f.procedures[0]],
      );
      await setLiveValues(t.db, f.procedures, 'satisfaction', [4, 9, 9, 9, 2, 6]);
      first = await createDraft(t.db, { name: 'Hiver', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
      await publishEdition(t.db, first, null, null, new Date('2026-04-01T08:00:00Z'));
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9, 4, 9, 9, 'avis_insuffisants', 6]);
      await t.db.query(`UPDATE procedures SET title = 'Titre changé' WHERE id = $1`, [f.procedures[0]]);
      second = await createDraft(t.db, { name: 'Printemps', period: 'T2', windowStart: '2026-04-01', windowEnd: '2026-06-30' }, null);
      await publishEdition(t.db, second, null, null, new Date('2026-07-01T08:00:00Z'));
    });
    after(async () => t.close());

    test('a procedure page shows the latest values, help channels and the history by stable id with a chart and its table', async () => {
      const res = await t.app.inject('/observatoire/demarches/T-1');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<h1>Titre changé<\/h1>/);
      assert.match(res.body, /Téléphone : 3939 \(9 h – 17 h\)/);
      assert.match(res.body, /<svg[^>]+role="img" aria-labelledby="courbe-satisfaction-titre"/);
      assert.match(res.body, /<th scope="row">Hiver \(T1\)<\/th><td>4 \/ 10<\/td><td>Pas bien<\/td>/);
      assert.match(res.body, /<th scope="row">Printemps \(T2\)<\/th><td>9 \/ 10<\/td><td>Très bien<\/td>/);
      assert.equal((await t.app.inject('/observatoire/demarches/inconnue')).statusCode, 404);
    });

    test('the national scorecard writes the definition, the goal, the score and the delta in points, with a chart and its table', async () => {
      const res = await t.app.inject('/observatoire/tableaux-de-bord');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /démarches dont le niveau atteint l&#39;objectif ÷ nombre de démarches dont le niveau est mesuré/);
      // second edition, online procedures 1, 2, 3, 5, 6 — measured 1, 2, 3, 6 (5 is gray) → goal 1, 3 → 50 %; before: 2, 3 of 1, 2, 3, 5, 6 → 40 %
      // Wilson 2 of 4 (SciPy 1.17 binomtest(2, 4).proportion_ci(method='wilson')): 15,0 % – 85,0 %, which holds the goal 80 % → « incertain ».
      assert.match(
        res.body,
        /<th scope="row">Satisfaction usagers<\/th><td>2<\/td><td>4<\/td><td>50 %<\/td><td>15,0 à 85,0 % <span[^>]*>incertain<\/span><\/td><td>80 %<\/td><td>\+10 points<\/td>/,
      );
      assert.match(res.body, /\(2 sur 4\), intervalle de confiance à 95 % : 15,0 à 85,0 %/);
      assert.match(res.body, /<progress class="obs-progress" id="progres-satisfaction" max="80" value="50">/);
      assert.match(res.body, /<svg[^>]+role="img"/);
      const ministry = await t.app.inject(`/observatoire/tableaux-de-bord/ministeres/${f.ministries[0]}`);
      assert.equal(ministry.statusCode, 200);
      assert.match(ministry.body, /Tableau de bord : Ministère de l&#39;Écologie/);
      assert.equal(
        (await t.app.inject(`/observatoire/tableaux-de-bord/administrations/${f.administrations[1]}?edition=${first}`)).statusCode,
        200,
      );
      assert.equal((await t.app.inject('/observatoire/tableaux-de-bord/ministeres/99999')).statusCode, 404);
      const category = await t.app.inject('/observatoire/tableaux-de-bord/categories/professionnels');
      assert.equal(category.statusCode, 200);
      assert.match(category.body, /Tableau de bord : Professionnels/);
      assert.equal((await t.app.inject('/observatoire/tableaux-de-bord/categories/inconnue')).statusCode, 404);
    });

    test('comparing two editions counts moves per indicator and lists them', async () => {
      const res = await t.app.inject(`/observatoire/comparaison?de=${first}&a=${second}&indicateur=satisfaction`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<th scope="row">Satisfaction usagers<\/th><td>1<\/td><td>1<\/td><td>3<\/td><td>1<\/td>/);
      assert.match(res.body, /Titre changé<\/a><\/th><td>En hausse<\/td><td>Pas bien<\/td><td>Très bien<\/td>/);
      assert.match(res.body, /Démarche n° 0002<\/a><\/th><td>En baisse<\/td>/);
    });

    test('help pages explain every indicator with its current levels, the goals and the export columns', async () => {
      const ind = await t.app.inject('/observatoire/aide/indicateurs');
      assert.match(ind.body, /id="indicateur-uptime"/);
      assert.match(ind.body, /Très bien<\/span> \(vert\) à partir de 8 \/ 10 – objectif atteint/);
      const help = await t.app.inject('/observatoire/aide');
      assert.match(help.body, /200 000 demandes par an/);
      assert.match((await t.app.inject('/observatoire/aide/donnees')).body, /<code>satisfaction_objectif_atteint<\/code>/);
    });
  });
}
