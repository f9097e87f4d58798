/**
 * Route schemas (zod, src/kernel/web/schemas.ts) on the catalogue and accounts routes: an id of the URL that cannot be
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

/** Rows of every table these routes write. */
async function fingerprint(db: TestApp['db']): Promise<string> {
  const counts = [];
  for (const table of ['audit_log', 'users', 'sessions', 'grants', 'api_keys', 'invitations', 'ministries', 'administrations', 'procedures']) {
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
      const administration = await admin.post('/catalogue/administrations/nouvelle', { code: 'x', name: 'X', kind: 'direction', ministry_id: '01' });
      assert.equal(administration.statusCode, 400);
      assert.match(administration.body, /Choisissez un ministère\./);
      assert.equal(await fingerprint(t.db), before);
    });

    test('hostile bytes in a converted form or query: refused before the schema, nothing written', async () => {
      const before = await fingerprint(t.db);
      const csrf = await admin.csrf('/catalogue/ministeres/nouveau');
      for (const payload of [`_csrf=${encodeURIComponent(csrf)}&code=a%00b&name=x`, `_csrf=${encodeURIComponent(csrf)}&code=ab&name=%FF`]) {
        const res = await admin.request({ method: 'POST', url: '/catalogue/ministeres/nouveau', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
        assert.equal(res.statusCode, 400, payload);
        assert.match(res.body, /Rien n’a été enregistré/, payload);
      }
      assert.equal((await admin.get('/admin/utilisateurs?q=%00')).statusCode, 400);
      assert.equal(await fingerprint(t.db), before);
    });

    test('list queries: a hand-edited value falls back to the default; the journal names a bad date in French', async () => {
      for (const url of ['/catalogue?page=abc&tri=constructor&ordre=haut&archives=tout', '/catalogue?page=0&public=x&public=y', '/admin/utilisateurs?page=-3&q=a&q=b', '/admin/boite-envoi?page=1e9']) {
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
}
