import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, signedInClient } from '../../../test/helpers/users.ts';
import { insertButton } from '../forms/queries.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';
import { granularityFor } from '../analytics/series.ts';
import { parseWindow } from './window.ts';

for (const target of TEST_TARGETS) {
  describe(`procedure dashboard (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let reader: TestClient;
    let secondButton: number;

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'dash');
      secondButton = (await insertButton(t.db, { formId: f.formId, name: 'Espace personnel', placement: '', isTest: false })).id;
      const { rows } = await t.db.query('SELECT public_key FROM feedback_buttons WHERE id = $1', [secondButton]);
      let ip = 1;
      for (const satisfaction of ['good', 'good', 'medium']) {
        const v = new Visitor(t.app, `10.2.0.${ip++}`);
        const s1 = await v.start(f.button.publicKey, { satisfaction });
        await v.step(String(s1.headers.location), { clarity: 'good', action: 'next' });
      }
      await new Visitor(t.app, `10.2.0.${ip++}`).start(rows[0].public_key, { satisfaction: 'bad' });
      await createTestUser(t.db, 'lecture@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: f.catalog.procedures[0] }]);
      reader = await signedInClient(t.app, 'lecture@exemple.gouv.fr', undefined, '10.2.1.1');
    });
    after(async () => t.close());

    test('shows the indicators with their level, the series and the distributions, read from the rollups', async () => {
      const res = await reader.get(`/avis/demarches/${f.catalog.procedures[0]}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<strong>4 avis<\/strong>/);
      // (10 + 10 + 5 + 0) / 4 = 6.25 → « 6,3 / 10 » with the yellow level « Moyen ».
      assert.match(
        res.body,
        /<th scope="row">Satisfaction<\/th><td>6,3 \/ 10<\/td>\s*<td><span class="fr-badge[^"]*fr-badge--warning">Moyen<\/span>/,
      );
      assert.match(res.body, /<th scope="row">Clarté du langage<\/th><td>7,5 \/ 10<\/td>/);
      assert.match(res.body, /Avis et satisfaction par mois/);
      assert.match(res.body, /<th scope="row">Très bien<\/th><td>2<\/td><td>50,0 %<\/td>/);
      assert.match(res.body, /Nombre d’avis par période/);
      assert.match(res.body, /Moins de 100 avis/);
    });

    test('filters by button and by window', async () => {
      const one = await reader.get(`/avis/demarches/${f.catalog.procedures[0]}?bouton=${secondButton}`);
      assert.match(one.body, /<strong>1 avis<\/strong>/);
      assert.match(one.body, /<th scope="row">Satisfaction<\/th><td>0,0 \/ 10<\/td>/);
      const past = await reader.get(`/avis/demarches/${f.catalog.procedures[0]}?debut=2001-01-01&fin=2001-01-31`);
      assert.match(past.body, /<strong>0 avis<\/strong>/);
      assert.match(past.body, /Aucun avis sur la période/);
      const bad = await reader.get(`/avis/demarches/${f.catalog.procedures[0]}?debut=2025-02-30&fin=x`);
      assert.equal(bad.statusCode, 200);
      assert.match(bad.body, /Dates invalides/);
    });

    test('the team makes the statistics public; the public page shows « nombre d’avis insuffisant » below the minimum', async () => {
      const id = f.catalog.procedures[0];
      assert.equal((await t.app.inject(`/statistiques/avis/${id}`)).statusCode, 404);
      await reader.get(`/avis/demarches/${id}`);
      assert.equal((await reader.post(`/avis/demarches/${id}/statistiques/publier`)).statusCode, 403);
      await createTestUser(t.db, 'equipe@exemple.gouv.fr', [{ role: 'procedure_editor', procedureId: id }]);
      const editor = await signedInClient(t.app, 'equipe@exemple.gouv.fr', undefined, '10.2.1.2');
      await editor.get(`/avis/demarches/${id}`);
      assert.equal((await editor.post(`/avis/demarches/${id}/statistiques/publier`)).statusCode, 303);
      const page = await t.app.inject(`/statistiques/avis/${id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /4 avis recueillis/);
      assert.match(page.body, /<th scope="row">Satisfaction<\/th><td>Nombre d’avis insuffisant<\/td>/);
      await t.db.query(`INSERT INTO app_settings (key, value) VALUES ('feedback_min_reviews', '3')`);
      assert.match((await t.app.inject(`/statistiques/avis/${id}`)).body, /<th scope="row">Satisfaction<\/th><td>6,3 \/ 10<\/td>/);
      await t.db.query(`DELETE FROM app_settings WHERE key = 'feedback_min_reviews'`);
      assert.equal((await editor.post(`/avis/demarches/${id}/statistiques/retirer`)).statusCode, 303);
      assert.equal((await t.app.inject(`/statistiques/avis/${id}`)).statusCode, 404);
    });

    test('out of scope is refused', async () => {
      assert.equal((await reader.get(`/avis/demarches/${f.catalog.procedures[1]}`)).statusCode, 403);
      assert.equal((await reader.get('/avis/demarches/abc')).statusCode, 404);
    });

    test('the series step follows the window length; the default window is the last 365 days', () => {
      assert.equal(granularityFor({ start: '2025-01-01', end: '2025-01-31' }), 'day');
      assert.equal(granularityFor({ start: '2025-01-01', end: '2025-05-31' }), 'week');
      assert.equal(granularityFor({ start: '2025-01-01', end: '2025-12-31' }), 'month');
      assert.deepEqual(parseWindow({}, new Date('2026-03-01T12:00:00Z')).window, { start: '2025-03-02', end: '2026-03-01' });
    });
  });
}
