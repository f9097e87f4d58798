import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, signedInClient } from '../../../test/helpers/users.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';

async function answer(t: TestApp, f: FeedbackFixture, ip: string, satisfaction: string, verbatim?: string) {
  const v = new Visitor(t.app, ip);
  const s1 = await v.start(f.button.publicKey, { satisfaction });
  if (verbatim) await v.step(String(s1.headers.location).replace('/etape/2', '/etape/4'), { verbatim, action: 'next' });
}

for (const target of TEST_TARGETS) {
  describe(`answers list, search and deletion (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let editor: TestClient;
    let reader: TestClient;

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'ans');
      await answer(t, f, '10.3.0.1', 'bad', 'Le délai de traitement est beaucoup trop long.');
      await answer(t, f, '10.3.0.2', 'good', 'Délai de traitement court, bravo.');
      await answer(t, f, '10.3.0.3', 'medium');
      await createTestUser(t.db, 'ed@exemple.gouv.fr', [{ role: 'procedure_editor', procedureId: f.catalog.procedures[0] }]);
      await createTestUser(t.db, 'lu@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: f.catalog.procedures[0] }]);
      editor = await signedInClient(t.app, 'ed@exemple.gouv.fr', undefined, '10.3.1.1');
      reader = await signedInClient(t.app, 'lu@exemple.gouv.fr', undefined, '10.3.1.2');
    });
    after(async () => t.close());

    test('lists reviews with filters, unaccented search with highlighted matches, frequent words and phrases', async () => {
      const all = await reader.get(`/avis/formulaires/${f.formId}/reponses`);
      assert.equal(all.statusCode, 200);
      assert.match(all.body, /3\u00a0avis correspondent\./);
      assert.match(all.body, /<td>delai traitement<\/td><td>2<\/td>/);
      const search = await reader.get(`/avis/formulaires/${f.formId}/reponses?q=DELAI`);
      assert.match(search.body, /2\u00a0avis correspondent/);
      assert.match(search.body, /<mark>délai<\/mark> de traitement est beaucoup trop long/);
      assert.match(search.body, /<mark>Délai<\/mark> de traitement court/);
      const option = await reader.get(`/avis/formulaires/${f.formId}/reponses?option=satisfaction:bad`);
      assert.match(option.body, /1\u00a0avis correspond\./);
      const without = await reader.get(`/avis/formulaires/${f.formId}/reponses?verbatim=sans`);
      assert.match(without.body, /1\u00a0avis correspond\./);
      const like = await reader.get(`/avis/formulaires/${f.formId}/reponses?q=${encodeURIComponent('%')}`);
      assert.match(like.body, /0\u00a0avis correspond\./, 'LIKE wildcards are searched literally');
    });

    test('the answer page lists the questions in the order the questionnaire asked them', async () => {
      const v = new Visitor(t.app, '10.3.0.9');
      const s1 = await v.start(f.button.publicKey, { satisfaction: 'good' });
      const s2 = await v.step(String(s1.headers.location), { clarity: 'very_good', action: 'next' });
      const help = await v.client.get(String(s2.headers.location));
      const action = /<form method="post" action="([^"]+)"/.exec(help.body)![1]!;
      const jeton = Visitor.field(help.body, 'jeton');
      const fields = {
        help_tried: ['relative', 'phone'],
        help_reached_phone: 'yes',
        help_quality_phone: 'good',
        shown: 'help_reached_phone,help_quality_phone',
        action: 'next',
      };
      assert.equal((await v.client.post(action, { jeton, lang: 'fr', ...fields }, { csrf: false })).statusCode, 303);
      const { rows } = await t.db.query(`SELECT max(id) AS id FROM feedback_reviews`);
      const page = await reader.get(`/avis/reponses/${rows[0].id}`);
      const questions = [...page.body.matchAll(/<th scope="row">([^<]+)<\/th><td>([^<]+)<\/td>/g)].map((m) => `${m[1]} ${m[2]}`);
      assert.deepEqual(questions, [
        'De façon générale, comment s’est passée cette démarche ? Très bien',
        'Qu’avez-vous pensé des informations et des instructions fournies ? Très clair',
        'Avez-vous cherché de l’aide pour faire cette démarche ? Par téléphone',
        'Avez-vous cherché de l’aide pour faire cette démarche ? Une personne proche',
        'Avez-vous réussi à joindre l’administration ? Par téléphone – Oui',
        'Comment évaluez-vous la qualité de l’aide ? Par téléphone – Bonne',
      ]);
    });

    test('marks the reviews that came since the last visit', async () => {
      await reader.get(`/avis/formulaires/${f.formId}/reponses`);
      await answer(t, f, '10.3.0.4', 'good', 'Nouvel avis');
      const page = await reader.get(`/avis/formulaires/${f.formId}/reponses`);
      assert.equal((page.body.match(/fr-badge--new">Nouveau/g) ?? []).length, 1);
    });

    test('deletion needs a reason, archives the review and takes it out of the rollups; refused on a locked form', async () => {
      const { rows } = await t.db.query(`SELECT id FROM feedback_reviews WHERE verbatim LIKE 'Le délai%'`);
      const id = rows[0].id;
      const reviews = async () =>
        (
          await t.db.query(`SELECT coalesce(sum(count), 0)::int AS n FROM feedback_rollups WHERE form_id = $1 AND question = '_review'`, [
            f.formId,
          ])
        ).rows[0].n;
      const before = await reviews();
      await editor.get(`/avis/reponses/${id}`);
      assert.equal((await reader.post(`/avis/reponses/${id}/supprimer`, { reason: 'x' })).statusCode, 403);
      const noReason = await editor.post(`/avis/reponses/${id}/supprimer`, { reason: '' });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Indiquez le motif de la suppression/);
      await t.db.query('UPDATE feedback_forms SET locked = true WHERE id = $1', [f.formId]);
      assert.equal((await editor.post(`/avis/reponses/${id}/supprimer`, { reason: 'Propos injurieux' })).statusCode, 403);
      await t.db.query('UPDATE feedback_forms SET locked = false WHERE id = $1', [f.formId]);
      assert.equal(await reviews(), before);
      assert.equal((await editor.post(`/avis/reponses/${id}/supprimer`, { reason: 'Propos injurieux' })).statusCode, 303);
      assert.equal(await reviews(), before - 1);
      const detail = await editor.get(`/avis/reponses/${id}`);
      assert.match(detail.body, /Avis supprimé le .*Propos injurieux/);
      const list = await reader.get(`/avis/formulaires/${f.formId}/reponses?q=delai`);
      assert.match(list.body, /1\u00a0avis correspond\./);
      const { rows: audits } = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'feedback.review.delete'`);
      assert.equal(audits[0].n, 1);
    });
  });
}
