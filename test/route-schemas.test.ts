/**
 * Route schemas (zod, src/kernel/web/schemas.ts) on the catalogue, accounts, observatoire, feedback, monitoring,
 * accessibility audits and experiences routes: an id of the URL that cannot be
 * one is a 404 (the kernel's one id rule, src/kernel/web/ids.ts); a refused query or action body is a 400 page with
 * the schema's French message; a form with missing fields shows the DSFR error summary; nothing is written in any case.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from './helpers/db.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import type { TestClient } from './helpers/client.ts';
import { createTestUser, sessionClient } from './helpers/users.ts';
import { countRows } from '../src/accounts/testing.ts';
import { createTestCatalog, type TestCatalog } from '../src/catalog/testing.ts';
import { publishedFullAudit } from '../src/accessibility/testing.ts';

/** Rows of every table these routes write. */
async function fingerprint(db: TestApp['db']): Promise<string> {
  const counts = [];
  for (const table of [
    'audit_log',
    'users',
    'sessions',
    'grants',
    'api_keys',
    'invitations',
    'ministries',
    'administrations',
    'procedures',
    'support_points',
  ]) {
    counts.push(`${table}=${await countRows(db, table)}`);
  }
  const archived = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ministries WHERE archived_at IS NOT NULL');
  return `${counts.join(' ')} archived=${archived.rows[0].n}`;
}

// Ids that are not ids: letters, zero, a leading zero, a sign, an exponent, 17 digits, a number beyond 2^53.
const NOT_IDS = ['abc', '0', '01', '-1', '%2B1', '1e3', '1.5', '12345678901234567', '9007199254740993', '%20%31'];

for (const target of TEST_TARGETS) {
  describe(`route schemas on the catalogue and accounts routes (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    let catalog: TestCatalog;
    let adminId: number;
    before(async () => {
      t = await createTestApp(target);
      catalog = await createTestCatalog(t.db, { prefix: 'schema' });
      adminId = await createTestUser(t.db, 'admin-schemas@exemple.gouv.fr', [{ role: 'admin' }]);
      admin = await sessionClient(t.app, t.db, adminId);
    });
    after(() => t.close());

    test('an id of the URL that is not one is the 404 page, for pages and for actions, and nothing is written', async () => {
      const before = await fingerprint(t.db);
      for (const id of NOT_IDS) {
        // The same 404 as an id that names nothing: the route's own title and text.
        for (const [url, title, text] of [
          [`/catalogue/demarches/${id}`, 'Page non trouvée', '(Cette démarche|Cette page) n’existe pas ou plus\\.'],
          [`/catalogue/ministeres/${id}/modifier`, 'Page non trouvée', 'Ce ministère n’existe pas ou plus\\.'],
          [`/admin/utilisateurs/${id}`, 'Utilisateur introuvable', 'Aucun utilisateur ne correspond à cette adresse\\.'],
        ]) {
          const res = await admin.get(url);
          assert.equal(res.statusCode, 404, `${url}: ${res.statusCode}`);
          assert.match(res.body, new RegExp(`<h1>${title}</h1>`), url);
          assert.match(res.body, new RegExp(text), url);
        }
        for (const url of [`/catalogue/demarches/${id}/modifier`, `/catalogue/administrations/${id}/modifier`]) {
          const res = await admin.get(url);
          assert.equal(res.statusCode, 404, `${url}: ${res.statusCode}`);
        }
        for (const url of [
          `/catalogue/ministeres/${id}/archiver`,
          `/catalogue/administrations/${id}/restaurer`,
          `/catalogue/demarches/${id}/archiver`,
          `/admin/utilisateurs/${id}/desactiver`,
          `/admin/utilisateurs/${adminId}/droits/${id}/retirer`,
          `/compte/cles-api/${id}/revoquer`,
          `/compte/sessions/${id}/revoquer`,
          `/compte/invitations/${id}/annuler`,
        ]) {
          const res = await admin.post(url);
          assert.equal(res.statusCode, 404, `${url}: ${res.statusCode}`);
        }
        assert.match((await admin.post(`/compte/sessions/${id}/revoquer`)).body, /<h1>Session introuvable<\/h1>/);
        assert.match((await admin.post(`/compte/cles-api/${id}/revoquer`)).body, /Cette clé d’API n’existe pas\. Rien n’a été modifié\./);
      }
      // An import preview is named by 32 hexadecimal digits.
      for (const id of ['abc', 'A'.repeat(32), '0'.repeat(33)]) {
        const res = await admin.get(`/catalogue/import/${id}`);
        assert.equal(res.statusCode, 404, id);
      }
      // A token longer than the router accepts (100 characters) is refused before the route: 400, nothing written.
      const long = await admin.get(`/invitation/${'x'.repeat(101)}`);
      assert.equal(long.statusCode, 400);
      assert.match(long.body, /Rien n’a été enregistré/);
      assert.equal(await fingerprint(t.db), before);
    });

    test('a real id still answers: the same routes with the ids of the fixture', async () => {
      assert.equal((await admin.get(`/catalogue/demarches/${catalog.procedures[0]}`)).statusCode, 200);
      assert.equal((await admin.get(`/catalogue/ministeres/${catalog.ministries[0]}/modifier`)).statusCode, 200);
      assert.equal((await admin.get(`/admin/utilisateurs/${adminId}`)).statusCode, 200);
      // An id of the right shape that names nothing: the module's own 404, still nothing written.
      assert.equal((await admin.get('/catalogue/demarches/999999999')).statusCode, 404);
    });

    test('an action body the route schema refuses: 400, the French message, nothing written', async () => {
      const before = await fingerprint(t.db);
      const close = await admin.post('/compte/sessions/fermer', { revoquer_cles: 'peut-etre' });
      assert.equal(close.statusCode, 400);
      assert.match(close.body, /<h1>Paramètre invalide<\/h1>/);
      assert.match(close.body, /Réponse inconnue pour la révocation des clés d’API\. Rien n’a été enregistré\./);
      const action = await admin.post(`/catalogue/demarches/${catalog.procedures[0]}/modifier`, { _action: 'supprimer', title: 'Changé' });
      assert.equal(action.statusCode, 400);
      assert.match(action.body, /Action de formulaire inconnue\. Rien n’a été enregistré\./);
      // Repeated where one value is expected.
      const twice = await admin.post('/catalogue/demarches/nouvelle', { _action: ['ajouter-canal', 'ajouter-canal'] });
      assert.equal(twice.statusCode, 400);
      assert.equal(await fingerprint(t.db), before);
      // The session was not closed: the admin is still signed in.
      assert.equal((await admin.get('/compte')).statusCode, 200);
    });

    test('a form with missing fields: the DSFR error summary with the French messages, nothing written', async () => {
      const before = await fingerprint(t.db);
      const ministry = await admin.post('/catalogue/ministeres/nouveau', {});
      assert.equal(ministry.statusCode, 400);
      assert.match(ministry.body, /id="resume-erreurs"/);
      assert.match(ministry.body, /Le formulaire contient 2 erreurs/);
      assert.match(ministry.body, /<a href="#champ-code">Code : Le code est obligatoire\.<\/a>/);
      assert.match(ministry.body, /<a href="#champ-name">Nom : Le nom est obligatoire\.<\/a>/);
      const key = await admin.post('/compte/cles-api', { name: '   ' });
      assert.equal(key.statusCode, 400);
      assert.match(key.body, /Donnez un nom à la clé\./);
      const administration = await admin.post('/catalogue/administrations/nouvelle', {
        code: 'x',
        name: 'X',
        kind: 'direction',
        ministry_id: '01',
      });
      assert.equal(administration.statusCode, 400);
      assert.match(administration.body, /Choisissez un ministère\./);
      assert.equal(await fingerprint(t.db), before);
    });

    test('hostile bytes in a converted form or query: refused before the schema, nothing written', async () => {
      const before = await fingerprint(t.db);
      const csrf = await admin.csrf('/catalogue/ministeres/nouveau');
      for (const payload of [`_csrf=${encodeURIComponent(csrf)}&code=a%00b&name=x`, `_csrf=${encodeURIComponent(csrf)}&code=ab&name=%FF`]) {
        const res = await admin.request({
          method: 'POST',
          url: '/catalogue/ministeres/nouveau',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload,
        });
        assert.equal(res.statusCode, 400, payload);
        assert.match(res.body, /Rien n’a été enregistré/, payload);
      }
      assert.equal((await admin.get('/admin/utilisateurs?q=%00')).statusCode, 400);
      assert.equal(await fingerprint(t.db), before);
    });

    test('observatoire pages: the table’s query, the edition and group ids, the publication’s confirmation', async () => {
      const before = await fingerprint(t.db);
      for (const [url, status, text] of [
        ['/observatoire?q=a&q=b', 400, 'q : une seule valeur est attendue\\.'],
        ['/observatoire/editions/1?tri=titre&tri=ministere', 400, 'tri : une seule valeur est attendue\\.'],
        ['/observatoire/editions/abc', 404, 'Cette édition n’existe pas ou n’est pas publiée\\.'],
        ['/observatoire/editions/01/export.csv', 404, 'Cette édition n’existe pas ou n’est pas publiée\\.'],
        ['/observatoire/tableaux-de-bord?edition=abc', 400, 'Aucune édition publiée ne correspond\\.'],
        [
          '/observatoire/tableaux-de-bord/ministeres/-1',
          404,
          'Ce groupe \\(ministère, administration ou catégorie d’usagers\\) ne figure pas dans cette édition\\.',
        ],
      ] as const) {
        const res = await admin.get(url);
        assert.equal(res.statusCode, status, url);
        assert.match(res.body, new RegExp(text), url);
      }
      // The steering pages: an edition id that is not one is the page's own 404, for the page and its actions.
      for (const id of ['abc', '01', '-1']) {
        const page = await admin.get(`/observatoire/admin/editions/${id}`);
        assert.equal(page.statusCode, 404, id);
        assert.match(page.body, /<h1>Édition introuvable<\/h1>/);
        assert.match(page.body, /Cette édition n’existe pas\./);
        for (const action of ['supprimer', 'modifier', 'corriger', 'publier'])
          assert.equal((await admin.post(`/observatoire/admin/editions/${id}/${action}`, { name: 'x' })).statusCode, 404, action);
        assert.equal((await admin.post(`/observatoire/admin/valeurs/${id}`, { handicap: 'oui' })).statusCode, 404, id);
      }
      assert.equal((await admin.get('/observatoire/admin/indicateurs/inconnu')).statusCode, 404);
      for (const url of ['/observatoire/admin/valeurs?page=abc&q=a&q=b', '/observatoire/comparaison?de=a&de=b&indicateur=x']) {
        assert.equal((await admin.get(url)).statusCode, 200, url);
      }
      assert.equal((await admin.get('/observatoire/aide/indicateurs?regles=1&regles=2')).statusCode, 404);
      // Help to users (support): the public page's and the help points' ids, the points list's page.
      for (const id of ['abc', '01']) {
        const help = await admin.get(`/aide/demarches/${id}`);
        assert.equal(help.statusCode, 404, id);
        assert.match(help.body, /Cette démarche n’existe pas ou n’est plus proposée\./);
        const point = await admin.get(`/lieux-aide/${id}`);
        assert.equal(point.statusCode, 404, id);
        assert.match(point.body, /Ce lieu d’aide n’existe pas\./);
        assert.equal((await admin.post(`/lieux-aide/${id}`, { name: 'Lieu' })).statusCode, 404, id);
        assert.equal((await admin.post(`/support/demarches/${id}/volumes`, { month: '2026-01' })).statusCode, 404, id);
      }
      assert.equal((await admin.get('/lieux-aide?page=abc')).statusCode, 200);
      const publish = await admin.post('/observatoire/admin/editions/1/publier', { confirmation: ['oui', 'oui'] });
      assert.equal(publish.statusCode, 400);
      assert.match(publish.body, /Confirmation : une seule valeur est attendue\. Rien n’a été publié\./);
      assert.equal(await fingerprint(t.db), before);
    });

    test('feedback: an export format outside the two, a repeated deletion reason; the goal list’s group', async () => {
      await admin.post('/avis/formulaires', {
        procedure_id: String(catalog.procedures[0]),
        name: 'Formulaire des schémas',
        template: 'default',
      });
      const { rows } = await t.db.query<{ id: number }>('SELECT id FROM feedback_forms ORDER BY id DESC LIMIT 1');
      assert.ok(rows[0], 'form created');
      const before = `${await fingerprint(t.db)} exports=${await countRows(t.db, 'feedback_exports')}`;
      // The draft, buttons and alerts forms: a form id that is not one is the 404, nothing written.
      for (const id of ['abc', '01', '-1']) {
        for (const action of ['brouillon', 'boutons', 'alertes'])
          assert.equal((await admin.post(`/avis/formulaires/${id}/${action}`, { name: 'Bouton' })).statusCode, 404, `${action} ${id}`);
      }
      const pdf = await admin.post(`/avis/formulaires/${rows[0].id}/exports`, { format: 'pdf' });
      assert.equal(pdf.statusCode, 400);
      assert.match(pdf.body, /Format : csv ou xlsx\. Rien n’a été enregistré\./);
      assert.equal(`${await fingerprint(t.db)} exports=${await countRows(t.db, 'feedback_exports')}`, before);
      // A group that is not an id lists the whole country, as a hand-edited figure link should.
      for (const url of [
        '/statistiques/bouton/demarches?ministere=abc',
        '/statistiques/bouton/demarches?administration=01&debut=x',
        '/statistiques/bouton?debut=2026-01-01&debut=2026-02-01',
      ]) {
        assert.equal((await admin.get(url)).statusCode, 200, url);
      }
    });

    test('list queries: a hand-edited value falls back to the default; the journal names a bad date in French', async () => {
      for (const url of [
        '/catalogue?page=abc&tri=constructor&ordre=haut&archives=tout',
        '/catalogue?page=0&public=x&public=y',
        '/admin/utilisateurs?page=-3&q=a&q=b',
        '/admin/boite-envoi?page=1e9',
      ]) {
        assert.equal((await admin.get(url)).statusCode, 200, url);
      }
      const catalogue = await admin.get('/catalogue?tri=titre&ordre=asc&page=abc');
      assert.match(catalogue.body, /Catalogue des démarches/);
      const journal = await admin.get('/admin/journal?du=2026-02-30');
      assert.equal(journal.statusCode, 400);
      assert.match(journal.body, /Saisissez une date valide au format AAAA-MM-JJ\./);
      const exported = await admin.get('/admin/journal/export.json?du=2026-13-01');
      assert.equal(exported.statusCode, 400);
      assert.match(exported.body, /Saisissez une date valide au format AAAA-MM-JJ\./);
    });
  });

  describe(`route schemas on the monitoring, accessibility audits and experiences routes (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    let catalog: TestCatalog;
    let auditId: number;
    let storyId: number;
    const tables = [
      'audit_log',
      'accessibility_plans',
      'accessibility_declarations',
      'monitoring_targets',
      'monitoring_maintenance',
      'accessibility_audits',
      'accessibility_report_links',
      'accessibility_auditor_invitations',
      'experiences',
      'experience_delays',
      'experience_moderators',
      'experience_answers',
    ];
    const written = async () => {
      const counts = [];
      for (const table of tables) counts.push(`${table}=${await countRows(t.db, table)}`);
      return counts.join(' ');
    };
    before(async () => {
      t = await createTestApp(target);
      catalog = await createTestCatalog(t.db, { prefix: 'schemas2' });
      const adminId = await createTestUser(t.db, 'admin-schemas2@exemple.gouv.fr', [{ role: 'admin' }]);
      admin = await sessionClient(t.app, t.db, adminId);
      auditId = await publishedFullAudit(t.db, catalog.procedures[0], '2026-01-15');
      const { rows } = await t.db.query<{ id: number }>(
        `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, status, published_at)
         SELECT p.id, p.administration_id, a.ministry_id, 'Un témoignage assez long pour les schémas.', 'temoignage', '{web}', 'neutre', false, true, 'published', now()
           FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1 RETURNING id`,
        [catalog.procedures[0]],
      );
      storyId = Number(rows[0].id);
    });
    after(() => t.close());

    test('an id of the URL that is not one is the route’s 404, for pages and for actions, and nothing is written', async () => {
      const before = await written();
      const administration = catalog.administrations[0];
      for (const id of NOT_IDS) {
        for (const [url, title, text] of [
          [`/surveillance/demarches/${id}`, 'Page introuvable', 'Cette démarche n’existe pas\\.'],
          [`/audits-accessibilite/demarches/${id}`, 'Page non trouvée', 'Cette démarche n’existe pas ou plus\\.'],
          [`/audits-accessibilite/${id}`, 'Page non trouvée', 'Cet audit n’existe pas ou plus\\.'],
          [`/audits-accessibilite/${id}/rapport`, 'Page non trouvée', 'Cet audit n’existe pas ou plus\\.'],
          [`/audits-accessibilite/${id}/export/csv`, 'Page non trouvée', 'Cet audit n’existe pas ou plus\\.'],
          [`/temoignages/gestion/${id}`, 'Page non trouvée', 'Ce témoignage n’existe pas\\.'],
        ] as const) {
          const res = await admin.get(url);
          assert.equal(res.statusCode, 404, `${url}: ${res.statusCode}`);
          // The access check of a scoped route reads the raw id first (its own 404); the schema's answers otherwise.
          assert.match(res.body, new RegExp(`<h1>(${title}|Page non trouvée)</h1>`), url);
          assert.match(res.body, new RegExp(`${text}|Cette page n’existe pas ou plus\\.`), url);
        }
        for (const url of [
          `/temoignages/gestion/administrations/${id}`,
          `/temoignages/moderateurs/ministeres/${id}`,
          `/temoignages/${id}`,
          `/temoignages/demarches/${id}`,
          `/temoignages/demarches/${id}/raconter`,
          `/temoignages/administrations/${id}/flux.xml`,
          `/temoignages/ministeres/${id}`,
        ]) {
          assert.equal((await admin.get(url)).statusCode, 404, url);
        }
        for (const url of [
          `/surveillance/demarches/${id}/cibles`,
          `/surveillance/demarches/${id}/cibles/supprimer`,
          `/surveillance/demarches/${id}/analyses`,
          `/surveillance/demarches/${id}/maintenances`,
          `/audits-accessibilite/demarches/${id}/nouveau`,
          `/audits-accessibilite/${id}/liens`,
          `/audits-accessibilite/${id}/publier`,
          `/temoignages/moderation/${id}`,
          `/temoignages/gestion/${id}/reponse`,
          `/temoignages/gestion/administrations/${id}/delais`,
          `/temoignages/moderateurs/administrations/${id}/retirer`,
        ]) {
          const res = await admin.post(url, {
            url: 'https://www.exemple.gouv.fr/',
            kind: 'start',
            reponse: 'Une réponse.',
            decision: 'publier',
            delai: '10',
            delai_accessibilite: '5',
          });
          assert.equal(res.statusCode, 404, `${url}: ${res.statusCode}`);
        }
      }
      // An export format outside the list, a share or follow-up token of the wrong shape: the same 404 as an unknown one.
      const pdf = await admin.get(`/audits-accessibilite/${auditId}/export/pdf`);
      assert.equal(pdf.statusCode, 404);
      assert.match(pdf.body, /Ce format d’export n’existe pas ou plus\./);
      for (const token of ['abc', '12.court', `1.${'a'.repeat(31)}`, `1.${'a'.repeat(33)}`]) {
        const res = await admin.get(`/temoignages/suivi/${token}`);
        assert.equal(res.statusCode, 404, token);
        assert.match(res.body, /<h1>Lien invalide<\/h1>/, token);
        assert.equal((await admin.post(`/temoignages/suivi/${token}`, { aide: 'oui' })).statusCode, 404, token);
      }
      // A NUL byte in the path is refused before any route (the kernel's input guard): 400, nothing written.
      const nul = await admin.post(`/temoignages/suivi/1.${'a'.repeat(31)}%00`, { aide: 'oui' });
      assert.equal(nul.statusCode, 400);
      assert.match(nul.body, /Rien n’a été enregistré/);
      // Accessibility plans and declarations: a plan id that is not one, the editors' ids.
      for (const id of ['abc', '01', '-1', '12345678901234567']) {
        const plan = await admin.get(`/plans-accessibilite/${id}`);
        assert.equal(plan.statusCode, 404, id);
        assert.match(plan.body, /<h1>Plan introuvable<\/h1>/);
        assert.match(plan.body, /Ce plan n’existe pas ou n’est pas publié\./);
        assert.match(
          (await admin.get(`/plans-accessibilite/${id}/plan-annuel/2026`)).body,
          /Ce plan annuel n’existe pas ou n’est pas publié\./,
        );
        assert.equal((await admin.get(`/rgaa/demarches/${id}/declaration`)).statusCode, 404, id);
        assert.equal((await admin.post(`/rgaa/demarches/${id}/declaration/publier`)).statusCode, 404, id);
        assert.equal((await admin.post(`/rgaa/demarches/${id}/feuille-de-route/jalons`, { title: 'Jalon' })).statusCode, 404, id);
        assert.equal((await admin.post(`/rgaa/administrations/${id}/plans`, { title: 'Plan' })).statusCode, 404, id);
      }
      assert.equal((await admin.get('/declarations-accessibilite/inconnue')).statusCode, 404);
      assert.equal((await admin.get('/rapports-accessibilite/inconnu')).statusCode, 404);
      assert.equal((await admin.get('/invitation-auditeur/inconnu')).statusCode, 404);
      assert.equal(await written(), before);
    });

    test('a real id still answers: the same pages with the ids of the fixture', async () => {
      assert.equal((await admin.get(`/surveillance/demarches/${catalog.procedures[0]}`)).statusCode, 200);
      assert.equal((await admin.get(`/audits-accessibilite/demarches/${catalog.procedures[0]}`)).statusCode, 200);
      assert.equal((await admin.get(`/audits-accessibilite/${auditId}`)).statusCode, 200);
      assert.equal((await admin.get(`/audits-accessibilite/${auditId}/export/csv`)).statusCode, 200);
      assert.equal((await admin.get(`/temoignages/gestion/${storyId}`)).statusCode, 200);
      assert.equal((await admin.get(`/temoignages/gestion/administrations/${catalog.administrations[0]}`)).statusCode, 200);
      // The public story lists: hand-edited filters fall back to none, a repeated one too; an English form by ?lang=en.
      for (const url of [
        `/temoignages/demarches/${catalog.procedures[0]}?page=abc&canal=fax&ressenti=x&reponse=peut-etre`,
        `/temoignages/demarches/${catalog.procedures[0]}?q=a&q=b`,
      ]) {
        assert.equal((await admin.get(url)).statusCode, 200, url);
      }
      assert.match((await admin.get(`/temoignages/demarches/${catalog.procedures[0]}/raconter?lang=en&lang=fr`)).body, /<html lang="fr"/);
      assert.match((await admin.get(`/temoignages/demarches/${catalog.procedures[0]}/raconter?lang=en`)).body, /<html lang="en"/);
      // A hand-edited page number or milestone id: the first page, the milestone's own 404.
      assert.equal((await admin.get(`/rgaa/administrations/${catalog.administrations[0]}?page=abc`)).statusCode, 200);
      const milestone = await admin.get(`/rgaa/demarches/${catalog.procedures[0]}/feuille-de-route/jalons/modifier?jalon=01`);
      assert.equal(milestone.statusCode, 404);
      assert.match(milestone.body, /Ce jalon n’existe pas dans la feuille de route de cette démarche\./);
      // A notice flag of an unknown value shows no notice; a known one does.
      assert.doesNotMatch((await admin.get(`/temoignages/gestion/${storyId}?etat=autre`)).body, /La modification a été enregistrée\./);
      assert.match((await admin.get(`/temoignages/gestion/${storyId}?etat=enregistre`)).body, /La modification a été enregistrée\./);
    });

    test('refused bodies: an id field that is not one is a 400 with the French message; a form keeps its messages; nothing written', async () => {
      const before = await written();
      const procedure = catalog.procedures[0];
      const target = await admin.post(`/surveillance/demarches/${procedure}/cibles/supprimer`, { target: '01' });
      assert.equal(target.statusCode, 400);
      assert.match(target.body, /<h1>Paramètre invalide<\/h1>/);
      assert.match(target.body, /Cette page surveillée n’existe pas\. Rien n’a été supprimé\./);
      const window = await admin.post(`/surveillance/demarches/${procedure}/maintenances/supprimer`, { maintenance: ['1', '2'] });
      assert.equal(window.statusCode, 400);
      assert.match(window.body, /Cette maintenance n’existe pas\. Rien n’a été supprimé\./);
      // The target form: its messages beside the fields, in the DSFR error summary.
      const form = await admin.post(`/surveillance/demarches/${procedure}/cibles`, { url: '', kind: 'autre' });
      assert.equal(form.statusCode, 400);
      assert.match(form.body, /id="resume-erreurs"/);
      assert.match(form.body, /Indiquez l’adresse de la page\./);
      const retention = await admin.post('/temoignages/gestion/conservation', { jours: ['30', '40'] });
      assert.equal(retention.statusCode, 400);
      assert.match(retention.body, /Saisissez un nombre de jours entre/);
      const moderator = await admin.post(`/temoignages/moderateurs/administrations/${catalog.administrations[0]}/retirer`, {
        utilisateur: '-1',
      });
      assert.equal(moderator.statusCode, 400);
      assert.match(moderator.body, /Personne à retirer inconnue : rien n’a été modifié\./);
      assert.equal(await written(), before);
    });

    test('hostile bytes in a converted form: refused before the schema, nothing written', async () => {
      const before = await written();
      const csrf = await admin.csrf(`/surveillance/demarches/${catalog.procedures[0]}`);
      for (const [url, fields] of [
        [`/surveillance/demarches/${catalog.procedures[0]}/cibles`, 'url=https%3A%2F%2Fa%00b.fr&kind=start'],
        [`/temoignages/gestion/${storyId}/reponse`, 'reponse=%FF'],
        ['/temoignages/gestion/conservation', 'jours=3%000'],
      ] as const) {
        const payload = `_csrf=${encodeURIComponent(csrf)}&${fields}`;
        const res = await admin.request({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
        assert.equal(res.statusCode, 400, `${url} ${fields}`);
        assert.match(res.body, /Rien n’a été enregistré/, url);
      }
      assert.equal(await written(), before);
    });

    test('hand-edited queries of the experiences, plans and story themes pages: repeated, array keys, NUL bytes', async () => {
      const before = await written();
      const list = `/temoignages/demarches/${catalog.procedures[0]}`;
      // The fixture's one published story was told online (canal web): a filter on the telephone finds nothing…
      assert.match((await admin.get(`${list}?canal=telephone`)).body, /Aucun témoignage publié ne correspond/);
      // …a repeated filter or an array key is no filter: the one story; a repeated page number is the first page,
      // while page 2 alone does not exist.
      for (const query of ['?canal=telephone&canal=telephone', '?canal[]=telephone', '?canal=telephone&canal=web', '?page=2&page=2']) {
        const res = await admin.get(`${list}${query}`);
        assert.equal(res.statusCode, 200, query);
        assert.match(res.body, /1\u00a0témoignage publié</, query);
      }
      assert.equal((await admin.get(`${list}?page=2`)).statusCode, 404);
      // A NUL byte in any query is refused before the schema, on pages and in the API.
      for (const url of [
        `${list}?q=%00`,
        `/rgaa/demarches/${catalog.procedures[0]}/feuille-de-route/jalons/modifier?jalon=1%00`,
        `/temoignages/gestion/${storyId}?etat=enregistre%00`,
      ]) {
        const res = await admin.get(url);
        assert.equal(res.statusCode, 400, url);
        assert.match(res.body, /La requête contient un caractère nul \(%00\)/, url);
      }
      const api = `/api/v1/experiences/procedures/${catalog.procedures[0]}/stories`;
      const nul = await t.app.inject(`${api}?ressenti=%00`);
      assert.equal(nul.statusCode, 400);
      assert.match(String(nul.headers['content-type']), /^application\/problem\+json/);
      // The API names what it refuses: a repeated page is not a page number (400, problem+json); an unknown key,
      // brackets included, is ignored.
      const repeated = await t.app.inject(`${api}?page=1&page=2`);
      assert.equal(repeated.statusCode, 400);
      assert.match(String(repeated.headers['content-type']), /^application\/problem\+json/);
      const unknownKey = await t.app.inject(`${api}?canal[]=telephone`);
      assert.equal(unknownKey.statusCode, 200);
      assert.equal(unknownKey.json().total, 1);
      // The notice after a redirect: repeated or as an array, no notice.
      for (const query of ['?etat=enregistre&etat=enregistre', '?etat[]=enregistre']) {
        const res = await admin.get(`/temoignages/gestion/${storyId}${query}`);
        assert.equal(res.statusCode, 200, query);
        assert.doesNotMatch(res.body, /La modification a été enregistrée\./, query);
      }
      // A milestone or action id repeated or as an array: the page's own 404; a repeated page number, the first page.
      for (const query of ['?jalon=1&jalon=1', '?jalon[]=1']) {
        const res = await admin.get(`/rgaa/demarches/${catalog.procedures[0]}/feuille-de-route/jalons/modifier${query}`);
        assert.equal(res.statusCode, 404, query);
        assert.match(res.body, /Ce jalon n’existe pas dans la feuille de route de cette démarche\./, query);
      }
      const action = await admin.get(`/rgaa/administrations/${catalog.administrations[0]}/plans/actions/modifier?action=1&action=1`);
      assert.equal(action.statusCode, 404);
      assert.match(action.body, /Cette action n’existe pas dans les plans de cette organisation\./);
      assert.equal((await admin.get(`/rgaa/administrations/${catalog.administrations[0]}?page=2&page=3`)).statusCode, 200);
      // The story themes' period: repeated dates are an invalid period, shown as such over the last 365 days.
      const themes = await admin.get(
        `/defis/demarches/${catalog.procedures[0]}/themes-des-recits?debut=2026-01-01&debut=2026-02-01&fin=2026-12-31`,
      );
      assert.equal(themes.statusCode, 200);
      assert.match(
        themes.body,
        /Période invalide \(dates au format AAAA-MM-JJ, la première avant la seconde\) : les 365 derniers jours sont affichés\./,
      );
      assert.equal(await written(), before);
    });
  });
}
