/**
 * Route schemas of the feedback module (issue 9): an id of the URL that cannot be one gets the same answer as an id
 * that names nothing; the public questionnaire keeps its own pages for a bad key or step, and refuses a body of the
 * wrong shape as forged (its own page, counted), its handler still checking every answer; hand-edited queries fall back to their defaults;
 * nothing is written in any of these cases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import type { TestClient } from '../../test/helpers/client.ts';
import { createTestUser, sessionClient } from '../../test/helpers/users.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from './testing.ts';

// Ids that are not ids: letters, zero, a leading zero, a sign, an exponent, 17 digits, a number beyond 2^53.
const NOT_IDS = ['abc', '0', '01', '-1', '%2B1', '1e3', '1.5', '12345678901234567', '9007199254740993'];
const UNKNOWN = '999999999';

/** Rows of every table the feedback routes write, and the state they change. */
/** Submissions refused as forged, all forms, all days (feedback_blocked, the abuse counters). */
async function forgedCount(db: TestApp['db']): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT coalesce(sum(count), 0)::int AS n FROM feedback_blocked WHERE reason = 'forged'`);
  return rows[0].n;
}

async function fingerprint(db: TestApp['db']): Promise<string> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM feedback_forms)::int AS forms,
            (SELECT count(*) FROM feedback_form_versions)::int AS versions,
            (SELECT count(*) FROM feedback_form_versions WHERE published_at IS NOT NULL)::int AS published,
            (SELECT count(*) FROM feedback_forms WHERE locked)::int AS locked,
            (SELECT count(*) FROM feedback_buttons WHERE closed_at IS NULL AND deleted_at IS NULL)::int AS open_buttons,
            (SELECT count(*) FROM feedback_reviews)::int AS reviews,
            (SELECT count(*) FROM feedback_reviews WHERE deleted_at IS NOT NULL)::int AS deleted_reviews,
            (SELECT count(*) FROM feedback_answers)::int AS answers,
            (SELECT count(*) FROM feedback_exports)::int AS exports,
            (SELECT count(*) FROM feedback_public_stats)::int AS public_stats,
            (SELECT count(*) FROM audit_log)::int AS audit`,
  );
  return JSON.stringify(rows[0]);
}

/** What an error page says: its status, its title and its text. */
function said(res: LightMyRequestResponse): string {
  const title = /<h1>(.*?)<\/h1>/.exec(res.body)?.[1];
  const text = /<p class="fr-text--lead fr-mb-3w">(.*?)<\/p>/.exec(res.body)?.[1];
  return `${res.statusCode} ${title} ${text}`;
}

for (const target of TEST_TARGETS) {
  describe(`feedback route schemas (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let admin: TestClient;
    let reviewId: number;
    let exportId: number;
    let ip = 10;
    const visitor = () => new Visitor(t.app, `198.51.100.${ip++}`);

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'fbschema');
      admin = await sessionClient(t.app, t.db, await createTestUser(t.db, 'admin-fb-schemas@exemple.gouv.fr', [{ role: 'admin' }]));
      assert.equal((await visitor().start(f.button.publicKey, { satisfaction: 'good' })).statusCode, 303);
      const { rows } = await t.db.query<{ id: number }>('SELECT id FROM feedback_reviews WHERE form_id = $1', [f.formId]);
      reviewId = Number(rows[0].id);
      const exported = await admin.post(`/avis/formulaires/${f.formId}/exports`, { format: 'csv' });
      assert.equal(exported.statusCode, 303);
      exportId = Number(String(exported.headers.location).split('/').pop());
    });
    after(() => t.close());

    test('an id of the URL that is not one: the same 404 as an unknown id, for pages and actions, nothing written', async () => {
      const procedureId = f.catalog.procedures[0];
      const pages = (id: string) => [
        `/avis/formulaires/${id}`,
        `/avis/formulaires/${id}/reponses`,
        `/avis/formulaires/${id}/themes`,
        `/avis/reponses/${id}`,
        `/avis/demarches/${id}`,
        `/avis/administrations/${id}`,
        `/avis/ministeres/${id}`,
        `/avis/exports/${id}`,
        `/avis/exports/${id}/fichier`,
        `/statistiques/avis/${id}`,
      ];
      const actions = (id: string) => [
        `/avis/formulaires/${id}/publier`,
        `/avis/formulaires/${id}/verrouiller`,
        `/avis/formulaires/${id}/deverrouiller`,
        `/avis/formulaires/${id}/exports`,
        `/avis/boutons/${id}/fermer`,
        `/avis/boutons/${id}/rouvrir`,
        `/avis/boutons/${id}/supprimer`,
        `/avis/reponses/${id}/supprimer`,
        `/avis/demarches/${id}/statistiques/publier`,
      ];
      const before = await fingerprint(t.db);
      const unknownPages = await Promise.all(pages(UNKNOWN).map(async (url) => said(await admin.get(url))));
      const unknownActions = await Promise.all(actions(UNKNOWN).map(async (url) => said(await admin.post(url, { reason: 'x' }))));
      for (const answer of [...unknownPages, ...unknownActions]) assert.match(answer, /^404 Page non trouvée \S/);
      // The routes open to any member, to the steering team or to anyone answer with their own text.
      assert.match(unknownPages[7], /Cet export n’existe pas ou plus\./);
      assert.match(unknownPages[9], /Les statistiques d’avis de cette démarche ne sont pas publiques\./);
      assert.match(unknownActions[1], /Ce formulaire n’existe pas ou plus\./);
      for (const id of NOT_IDS) {
        const answers = await Promise.all(pages(id).map(async (url) => said(await admin.get(url))));
        assert.deepEqual(answers, unknownPages, id);
        const done = await Promise.all(actions(id).map(async (url) => said(await admin.post(url, { reason: 'x' }))));
        assert.deepEqual(done, unknownActions, id);
      }
      // The action of the publication is publier or retirer; another is the procedure's 404.
      for (const action of ['supprimer', 'PUBLIER', 'publier%00']) {
        const res = await admin.post(`/avis/demarches/${procedureId}/statistiques/${action}`);
        assert.equal(res.statusCode, action.includes('%00') ? 400 : 404, action);
      }
      assert.match(
        said(await admin.post(`/avis/demarches/${procedureId}/statistiques/supprimer`)),
        /Cette démarche n’existe pas ou plus\./,
      );
      assert.equal(await fingerprint(t.db), before);
    });

    test('a real id still answers: the same routes with the ids of the fixture', async () => {
      const { administrations, ministries, procedures } = f.catalog;
      for (const url of [
        `/avis/formulaires/${f.formId}`,
        `/avis/formulaires/${f.formId}/reponses`,
        `/avis/formulaires/${f.formId}/themes`,
        `/avis/reponses/${reviewId}`,
        `/avis/demarches/${procedures[0]}`,
        `/avis/administrations/${administrations[0]}`,
        `/avis/ministeres/${ministries[0]}`,
        `/avis/exports/${exportId}`,
        `/avis/exports/${exportId}/fichier`,
      ]) {
        assert.equal((await admin.get(url)).statusCode, 200, url);
      }
      assert.equal((await admin.post(`/avis/demarches/${procedures[0]}/statistiques/publier`)).statusCode, 303);
      assert.equal((await t.app.inject(`/statistiques/avis/${procedures[0]}`)).statusCode, 200);
      assert.equal((await admin.post(`/avis/demarches/${procedures[0]}/statistiques/retirer`)).statusCode, 303);
      assert.equal((await t.app.inject(`/statistiques/avis/${procedures[0]}`)).statusCode, 404);
    });

    test('hand-edited queries of the back office fall back to their defaults; a NUL byte is refused', async () => {
      const { administrations, ministries, procedures } = f.catalog;
      for (const url of [
        `/avis/formulaires/${f.formId}/reponses?page=abc&bouton=01&option=constructor:x&verbatim=peut-etre&q=${'a'.repeat(300)}`,
        `/avis/formulaires/${f.formId}/reponses?page=2&page=3&bouton=1&bouton=2&option=satisfaction:good&option=x`,
        `/avis/formulaires/${f.formId}/themes?debut=abc&fin=`,
        `/avis/demarches/${procedures[0]}?bouton=-1`,
        `/avis/administrations/${administrations[0]}?tri=inconnu&ordre=x`,
        `/avis/ministeres/${ministries[0]}?tri=avis&tri=titre&ordre=desc&ordre=asc`,
      ]) {
        assert.equal((await admin.get(url)).statusCode, 200, url);
      }
      // A window that cannot be used is said on the page, the 365 last days shown.
      for (const url of [
        `/avis/demarches/${procedures[0]}?debut=2026-01-01&debut=2026-02-01&fin=2026-03-01`,
        `/avis/formulaires/${f.formId}/reponses?debut=2026-13-01&fin=2026-12-01`,
        `/avis/ministeres/${ministries[0]}?debut=01/01/2026&fin=2026-02-01`,
      ]) {
        const res = await admin.get(url);
        assert.equal(res.statusCode, 200, url);
        assert.match(
          res.body,
          /Dates invalides : saisissez deux dates au format jj\/mm\/aaaa\. Les 365 derniers jours sont affichés\./,
          url,
        );
      }
      const filtered = await admin.get(`/avis/formulaires/${f.formId}/reponses?verbatim=avec&bouton=${f.button.id}`);
      assert.match(filtered.body, /0\u00a0avis correspond\./, 'the filters of a real query are kept');
      for (const url of [`/avis/formulaires/${f.formId}/reponses?q=a%00b`, `/avis/demarches/${procedures[0]}?debut=%00`]) {
        const res = await admin.get(url);
        assert.equal(res.statusCode, 400, url);
        assert.match(res.body, /caractère nul/, url);
      }
    });

    test('hand-edited action bodies: 400 with the French message, nothing written', async () => {
      const before = await fingerprint(t.db);
      const csrf = await admin.csrf(`/avis/formulaires/${f.formId}`);
      for (const [url, payload, message] of [
        [`/avis/formulaires/${f.formId}/publier`, `_csrf=${encodeURIComponent(csrf)}&x=a%00b`, /caractère nul/],
        [`/avis/boutons/${f.button.id}/fermer`, `_csrf=${encodeURIComponent(csrf)}&__proto__=x`, /n’est pas accepté/],
        [`/avis/formulaires/${f.formId}/exports?bouton=%FF`, `_csrf=${encodeURIComponent(csrf)}&format=csv`, /caractères invalides/],
        [`/avis/formulaires/${f.formId}/exports`, `_csrf=${encodeURIComponent(csrf)}&format=csv&format=xlsx`, /Format : csv ou xlsx/],
        [`/avis/reponses/${reviewId}/supprimer`, `_csrf=${encodeURIComponent(csrf)}&reason=a&reason=b`, /Motif : une seule valeur/],
      ] as const) {
        const res = await admin.request({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload,
        });
        assert.equal(res.statusCode, 400, url);
        assert.match(res.body, message, url);
        assert.match(res.body, /Rien n’a été (enregistré|supprimé)/, url);
      }
      assert.equal(await fingerprint(t.db), before);
    });

    test('the questionnaire: a bad key is « formulaire fermé » (404) in the visitor’s language, a bad step is refused', async () => {
      const unknown = await visitor().client.get('/avis/b/inconnu-123');
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /Formulaire fermé/);
      for (const key of ['abc', 'a'.repeat(41), '%C3%A9cole-123', 'cle.avec.points', "cle'--"]) {
        for (const url of [`/avis/b/${key}`, `/avis/b/${key}/merci`, `/avis/b/${key}/etape/2`]) {
          const res = await visitor().client.get(url);
          assert.equal(res.statusCode, 404, url);
          assert.match(res.body, /<h1[^>]*>Formulaire fermé<\/h1>/, url);
        }
        const english = await visitor().client.get(`/avis/b/${key}?lang=en`);
        assert.equal(english.statusCode, 404);
        assert.match(english.body, /<h1[^>]*>Form closed<\/h1>/);
        const posted = await visitor().client.post(`/avis/b/${key}`, { satisfaction: 'good' }, { csrf: false });
        assert.equal(posted.statusCode, 404);
      }
      const before = await fingerprint(t.db);
      const v = visitor();
      const s1 = await v.start(f.button.publicKey, { satisfaction: 'good' });
      assert.equal(s1.statusCode, 303);
      const afterFirst = await fingerprint(t.db);
      const location = String(s1.headers.location);
      for (const step of ['0', '1', '5', 'abc', '2.5', '-2', '99999999999999999999']) {
        const url = location.replace('/etape/2', `/etape/${step}`);
        const res = await v.client.get(url);
        assert.equal(res.statusCode, 400, url);
        assert.match(res.body, /ne correspondent pas à ce formulaire/, url);
      }
      assert.equal(await fingerprint(t.db), afterFirst);
      assert.notEqual(afterFirst, before);
    });

    test('the questionnaire: a body of the wrong shape is refused and counted as forged, the handler still checks each answer', async () => {
      const key = f.button.publicKey;
      const v = visitor();
      const page = await v.client.get(`/avis/b/${key}`);
      const debut = Visitor.field(page.body, 'debut');
      const before = await fingerprint(t.db);
      const forgedBefore = await forgedCount(t.db);
      const post = (payload: string, type = 'application/x-www-form-urlencoded') =>
        v.client.request({ method: 'POST', url: `/avis/b/${key}`, headers: { 'content-type': type }, payload });
      const start = `debut=${encodeURIComponent(debut)}&lang=fr`;
      // The shape: an object or a number where a text is expected, too many values or fields, a long field name.
      for (const [payload, type] of [
        [JSON.stringify({ debut, satisfaction: { value: 'good' } }), 'application/json'],
        [JSON.stringify({ debut, satisfaction: 7 }), 'application/json'],
        [JSON.stringify([debut, 'good']), 'application/json'],
        [`${start}&satisfaction=good${'&help_tried=phone'.repeat(21)}`, undefined],
        [`${start}&satisfaction=good${Array.from({ length: 50 }, (_, i) => `&champ${i}=x`).join('')}`, undefined],
        [`${start}&satisfaction=good&${'n'.repeat(101)}=x`, undefined],
      ] as const) {
        const res = await post(payload, type);
        assert.equal(res.statusCode, 400, payload.slice(0, 80));
        assert.match(res.body, /Les réponses envoyées ne correspondent pas à ce formulaire\. Rechargez le questionnaire/);
      }
      // Counted with the other forged submissions, as the team's abuse figures show them: six refusals, six more.
      assert.equal(await forgedCount(t.db), forgedBefore + 6);
      // Hostile bytes: refused by the input guard.
      const nul = await post(`${start}&satisfaction=go%00od`);
      assert.equal(nul.statusCode, 400);
      assert.match(nul.body, /caractère nul/);
      // The shape is right, the answers are not: the handler's own refusals, unchanged.
      const twice = await post(`${start}&satisfaction=good&satisfaction=bad`);
      assert.equal(twice.statusCode, 400);
      assert.match(twice.body, /ne correspondent pas à ce formulaire/);
      const unknownOption = await post(`${start}&satisfaction=excellent`);
      assert.equal(unknownOption.statusCode, 400);
      assert.match(unknownOption.body, /ne correspondent pas à ce formulaire/);
      const empty = await v.client.request({ method: 'POST', url: `/avis/b/${key}` });
      assert.equal(empty.statusCode, 400, 'no body: refused as a form without its token');
      assert.match(empty.body, /ne correspondent pas à ce formulaire/);
      const missing = await post(start);
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Choisissez une réponse\./);
      assert.equal(await fingerprint(t.db), before);
      // At the bounds of the shape (20 values of a field, 50 fields), the step's handler decides: here it accepts.
      const fields = Array.from({ length: 46 }, (_, i) => `&champ${i}=x`).join('');
      assert.equal((await post(`${start}&satisfaction=good${'&help_tried=phone'.repeat(20)}${fields}`)).statusCode, 303);
    });

    test('a later step: a body of the wrong shape is refused, a long comment keeps its message beside the field', async () => {
      const v = visitor();
      const s1 = await v.start(f.button.publicKey, { satisfaction: 'good' });
      const page = await v.client.get(String(s1.headers.location).replace('/etape/2', '/etape/4'));
      const action = /<form method="post" action="([^"]+)"/.exec(page.body)![1];
      const jeton = Visitor.field(page.body, 'jeton');
      const before = await fingerprint(t.db);
      const shape = await v.client.request({
        method: 'POST',
        url: action,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ jeton, lang: 'fr', verbatim: ['a', { b: 1 }], action: 'next' }),
      });
      assert.equal(shape.statusCode, 400);
      assert.match(shape.body, /ne correspondent pas à ce formulaire/);
      // 20 000 characters: within the shape (the body's size), over the comment's 5 000: the step says so.
      const long = await v.client.post(action, { jeton, lang: 'fr', verbatim: 'a'.repeat(20_000), action: 'next' }, { csrf: false });
      assert.equal(long.statusCode, 400);
      assert.match(long.body, /5000 caractères au maximum/);
      assert.match(long.body, /a{20000}<\/textarea>/, 'the text is kept to be shortened');
      assert.equal(await fingerprint(t.db), before);
    });

    test('the button image: a hand-edited theme or style is the default image', async () => {
      for (const query of ['', '?theme=autre&style=autre', '?theme=sombre&theme=clair', '?style[]=x']) {
        const res = await t.app.inject(`/avis/bouton.svg${query}`);
        assert.equal(res.statusCode, 200, query);
        assert.match(String(res.headers['content-type']), /image\/svg\+xml/);
      }
      const dark = (await t.app.inject('/avis/bouton.svg?theme=sombre&style=contour')).body;
      assert.notEqual(dark, (await t.app.inject('/avis/bouton.svg')).body);
    });
  });
}
