import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { createTestUser, signedInClient, TEST_PASSWORD } from '../../test/helpers/users.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../feedback/testing.ts';
import { saveDraft } from '../feedback/index.ts';
import { DEFAULT_SETTINGS } from '../feedback/index.ts';
import { createDraft } from '../observatoire/index.ts';

/** The text of the page, tags removed, spaces (no-break ones included) folded: what a reader reads. */
function text(body: string): string {
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/[\s\u00a0\u202f]+/g, ' ');
}

for (const target of TEST_TARGETS) {
  describe(`« Mes démarches », the landing page after sign-in (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let ip = 0;
    const as = (email: string) => signedInClient(t.app, email, TEST_PASSWORD, `10.8.0.${++ip}`);
    const answer = (satisfaction: string) => new Visitor(t.app, `10.8.1.${++ip}`).start(f.button.publicKey, { satisfaction });

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'ws');
      await createTestUser(t.db, 'editeur@exemple.gouv.fr', [{ role: 'procedure_editor', procedureId: f.catalog.procedures[0] }], {
        displayName: 'Éditrice',
      });
      await createTestUser(t.db, 'lecteur@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: f.catalog.procedures[0] }]);
      await createTestUser(t.db, 'pilote@exemple.gouv.fr', [{ role: 'admin' }]);
      await createTestUser(t.db, 'sans-droit@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('signing in without a page to return to lands on « Mes démarches »; anonymous visitors are sent to sign in', async () => {
      const client = new TestClient(t.app, { remoteAddress: '10.8.2.1' });
      await client.get('/connexion');
      const res = await client.post('/connexion', { email: 'editeur@exemple.gouv.fr', password: TEST_PASSWORD });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/mes-demarches');
      const anonymous = await t.app.inject('/mes-demarches');
      assert.equal(anonymous.statusCode, 303);
      assert.equal(anonymous.headers.location, '/connexion?retour=%2Fmes-demarches');
    });

    test('new reviews since the last visit of the answers, with a link to them', async () => {
      const editor = await as('editeur@exemple.gouv.fr');
      assert.equal((await answer('good')).statusCode, 303);
      assert.equal((await answer('bad')).statusCode, 303);
      let page = text((await editor.get('/mes-demarches')).body);
      assert.match(page, /Démarche de test 1 Administration de test 1 2 nouveaux avis ces 30 derniers jours · Formulaire principal/);
      assert.match(
        (await editor.get('/mes-demarches')).body,
        new RegExp(`<a href="/avis/formulaires/${f.formId}/reponses">2\u00a0nouveaux avis</a>`),
      );
      assert.doesNotMatch(page, /Démarche de test 2/, 'only the procedures of the scope');

      await editor.get(`/avis/formulaires/${f.formId}/reponses`); // seen
      page = text((await editor.get('/mes-demarches')).body);
      assert.match(page, /À traiter 0 nouvel avis/);
      await answer('medium');
      page = text((await editor.get('/mes-demarches')).body);
      assert.match(page, /1 nouvel avis depuis votre dernière visite/);
    });

    test('a satisfaction alert that fired, questionnaire drafts and values missing for the edition being prepared', async () => {
      const editorId = (await t.db.query<{ id: number }>(`SELECT id FROM users WHERE email = 'editeur@exemple.gouv.fr'`)).rows[0]!.id;
      await t.db.query(
        `INSERT INTO feedback_alerts (user_id, form_id, satisfaction_below, satisfaction_sent_at) VALUES ($1, $2, 6, now())`,
        [editorId, f.formId],
      );
      await saveDraft(t.db, f.formId, { ...DEFAULT_SETTINGS, hiddenSteps: ['clarity'] }, editorId);
      await t.db.query('UPDATE procedures SET in_scope = true WHERE id = $1', [f.catalog.procedures[0]]);
      await createDraft(
        t.db,
        { name: 'Édition de janvier 2027', period: '4e trimestre 2026', windowStart: '2026-01-01', windowEnd: '2026-12-31' },
        null,
      );
      const manual = (
        await t.db.query<{ label: string }>(`SELECT label FROM obs_indicators WHERE source = 'manual' ORDER BY position`)
      ).rows.map((r) => r.label);
      assert.ok(manual.length > 0);

      const editor = await as('editeur@exemple.gouv.fr');
      const body = (await editor.get('/mes-demarches')).body;
      const page = text(body);
      assert.match(page, /Alerte : satisfaction sous 6 \/ 10 le \d+(er)? \S+ \d{4} · Formulaire principal/);
      assert.match(page, /Brouillon non publié du questionnaire Formulaire principal \(version 2/);
      assert.ok(
        page.includes(
          `${manual.length} ${manual.length > 1 ? 'valeurs manquantes' : 'valeur manquante'} pour l’édition de janvier 2027 : ${manual.join(', ')}`,
        ),
        page,
      );
      assert.ok(page.includes('1 démarche avec des valeurs manquantes pour l’édition de janvier 2027'), page);
      assert.match(body, new RegExp(`href="/observatoire/admin/valeurs/${f.catalog.procedures[0]}"`));

      // A reader sees the reviews, not what only an editor can do (drafts, values).
      const reader = text((await (await as('lecteur@exemple.gouv.fr')).get('/mes-demarches')).body);
      assert.match(reader, /Démarche de test 1/);
      assert.doesNotMatch(reader, /Brouillon non publié|valeurs? manquantes? pour/);
    });

    test('the steering admin sees the procedures needing attention and the editions being prepared; an account without a role is told why the page is empty', async () => {
      const admin = text((await (await as('pilote@exemple.gouv.fr')).get('/mes-demarches')).body);
      assert.match(admin, /Éditions en préparation Édition de janvier 2027/);
      assert.match(admin, /Démarches qui demandent votre attention/);
      assert.match(admin, /Démarche de test 1/);
      assert.doesNotMatch(admin, /Démarche de test 2/, 'nothing to do there: not listed');

      const none = await (await as('sans-droit@exemple.gouv.fr')).get('/mes-demarches');
      assert.equal(none.statusCode, 200);
      assert.match(text(none.body), /Aucune démarche ne vous est confiée pour l’instant/);
    });
  });
}
