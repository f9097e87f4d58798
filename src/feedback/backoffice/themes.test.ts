import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { createFeedbackFixture, type FeedbackFixture } from '../testing.ts';

// Two topics written by hand (card payment refused; a screen reader that cannot read the form), eight verbatims each.
const PAYMENT = [
  'Le paiement par carte bancaire a échoué trois fois.',
  'Impossible de payer, la carte bancaire est refusée.',
  'Paiement refusé alors que ma carte bancaire fonctionne.',
  'La page de paiement affiche une erreur de carte.',
  'La banque refuse la carte à chaque paiement.',
  'Carte refusée au moment du paiement.',
  'Paiement par carte impossible ce matin.',
  'Ma carte bancaire est refusée au paiement.',
];
const SCREEN_READER = [
  'Mon lecteur d’écran ne lit pas les boutons du formulaire.',
  'Avec NVDA le formulaire est illisible.',
  'Le lecteur d’écran saute les champs du formulaire.',
  'Formulaire inutilisable avec un lecteur d’écran.',
  'Les boutons du formulaire ne sont pas lus par le lecteur d’écran.',
  'Aveugle, je ne peux pas remplir le formulaire avec mon lecteur.',
  'Le formulaire est inaccessible au lecteur d’écran.',
  'Boutons du formulaire muets pour le lecteur d’écran.',
];

for (const target of TEST_TARGETS) {
  describe(`verbatim themes (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let reader: TestClient;
    let outsider: TestClient;
    const day = new Date().toISOString().slice(0, 10);

    async function addVerbatim(text: string, n: number): Promise<void> {
      await t.db.query(
        `INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, verbatim)
         VALUES ($1, 1, $2, $3, $4, $5::date, $6)`,
        [f.formId, f.button.id, f.catalog.procedures[0], `themes-${target}-${n}-${Math.random()}`, day, text],
      );
    }

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'thm');
      let n = 0;
      for (const text of [...PAYMENT, ...SCREEN_READER]) await addVerbatim(text, n++);
      reader = await clientWithGrants(t.app, t.db, [{ role: 'procedure_reader', procedureId: f.catalog.procedures[0] }]);
      outsider = await clientWithGrants(t.app, t.db, [{ role: 'procedure_reader', procedureId: f.catalog.procedures[1] }]);
    });
    after(async () => t.close());

    test('groups the verbatims into their two topics, names them by their words, and lists the accessibility ones', async () => {
      const res = await reader.get(`/avis/formulaires/${f.formId}/themes`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /16\u00a0commentaires lus,\s*16\u00a0commentaires regroupés en 2\u00a0thèmes\./);
      const headings = [...res.body.matchAll(/<h2 id="theme-\d">Thème \d : ([^<]+)<\/h2>\s*<p>(\d+)\u00a0commentaires/g)].map((m) => [
        m[1],
        m[2],
      ]);
      assert.equal(headings.length, 2);
      assert.deepEqual(
        headings.map((h) => h[1]),
        ['8', '8'],
      );
      assert.ok(
        headings.some(([label]) => /carte|paiement/.test(label)),
        JSON.stringify(headings),
      );
      assert.ok(
        headings.some(([label]) => /formulaire|lecteur/.test(label)),
        JSON.stringify(headings),
      );
      assert.match(res.body, /8\u00a0commentaires de la période parlent de handicap/);
      assert.match(res.body, /<caption>Commentaires par thème et par mois<\/caption>/);
    });

    test('the second reading comes from the cache; a new verbatim makes the next one compute again', async () => {
      const stamp = async () =>
        (await t.db.query<{ computed_at: Date }>('SELECT computed_at FROM feedback_theme_cache WHERE form_id = $1', [f.formId])).rows;
      await reader.get(`/avis/formulaires/${f.formId}/themes`);
      const first = await stamp();
      assert.equal(first.length, 1);
      await reader.get(`/avis/formulaires/${f.formId}/themes`);
      assert.deepEqual(await stamp(), first, 'not computed again');
      await addVerbatim('Mon lecteur d’écran bloque sur le bouton Valider.', 100);
      const res = await reader.get(`/avis/formulaires/${f.formId}/themes`);
      assert.match(res.body, /17\u00a0commentaires lus/);
      assert.match(res.body, /9\u00a0commentaires de la période parlent de handicap/);
      assert.notDeepEqual(await stamp(), first);
    });

    test('outside the user’s scope: refused, nothing computed', async () => {
      await t.db.query('DELETE FROM feedback_theme_cache');
      const res = await outsider.get(`/avis/formulaires/${f.formId}/themes`);
      assert.equal(res.statusCode, 403);
      assert.equal((await t.db.query('SELECT 1 FROM feedback_theme_cache')).rows.length, 0);
    });

    test('bad dates: the last 365 days, with a French warning', async () => {
      const res = await reader.get(`/avis/formulaires/${f.formId}/themes?debut=2026-13-01&fin=x`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Dates invalides/);
    });
  });
}
