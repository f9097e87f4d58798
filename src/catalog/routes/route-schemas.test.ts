/**
 * The catalogue's action and edit forms state their bodies (route schemas, src/kernel/web/schemas.ts): archive,
 * restore and confirm take only the CSRF token (`actionForm`), the ministry and administration forms take text fields
 * checked in the handler (`formTexts` + validateForm: the DSFR error summary), the import takes a file read by its
 * handler (`multipartBody`). A body that is not a form is a 400 with a French message; an id of the URL that is not one
 * is the same 404 as an unknown one; nothing is written in either case.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { countRows } from '../../accounts/testing.ts';
import { createTestCatalog, type TestCatalog } from '../testing.ts';

for (const target of TEST_TARGETS) {
  describe(`catalogue route schemas (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    let catalog: TestCatalog;

    /** What these routes write: rows, archived rows, names, the audit log, import previews applied. */
    const written = async () => {
      const { rows } = await t.db.query<{ state: string }>(
        `SELECT concat_ws(' ',
           (SELECT count(*) FROM ministries), (SELECT count(*) FROM ministries WHERE archived_at IS NOT NULL),
           (SELECT string_agg(code || ':' || name, ',' ORDER BY id) FROM ministries),
           (SELECT count(*) FROM administrations), (SELECT count(*) FROM administrations WHERE archived_at IS NOT NULL),
           (SELECT string_agg(code || ':' || name, ',' ORDER BY id) FROM administrations),
           (SELECT count(*) FROM procedures), (SELECT count(*) FROM procedures WHERE archived_at IS NOT NULL),
           (SELECT count(*) FROM catalog_import_previews WHERE applied_at IS NOT NULL)) AS state`,
      );
      return `${rows[0].state} audit=${await countRows(t.db, 'audit_log')}`;
    };

    /** A hand-made request with a valid CSRF token (in the header) and a JSON body. */
    const json = async (url: string, payload: string) =>
      admin.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', 'x-csrf-token': await admin.csrf('/catalogue/ministeres') },
        payload,
      });

    before(async () => {
      t = await createTestApp(target);
      catalog = await createTestCatalog(t.db, { prefix: 'rsc' });
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
    });
    after(() => t.close());

    test('a body that is not a form (a JSON list, a text, null): 400 with the French message, nothing written', async () => {
      const [ministry] = catalog.ministries;
      const [administration] = catalog.administrations;
      const [procedure] = catalog.procedures;
      const before = await written();
      for (const url of [
        `/catalogue/ministeres/${ministry}/archiver`,
        `/catalogue/ministeres/${ministry}/restaurer`,
        `/catalogue/administrations/${administration}/archiver`,
        `/catalogue/administrations/${administration}/restaurer`,
        `/catalogue/demarches/${procedure}/archiver`,
        `/catalogue/demarches/${procedure}/restaurer`,
        `/catalogue/import/${'a'.repeat(32)}/confirmer`,
      ]) {
        for (const payload of ['[]', '"archiver"', 'null', '[{"_csrf":"x"}]']) {
          const res = await json(url, payload);
          assert.equal(res.statusCode, 400, `${url} ${payload}: ${res.statusCode}`);
          assert.match(res.body, /<h1>Paramètre invalide<\/h1>/, url);
          assert.match(
            res.body,
            /Le formulaire envoyé est vide ou illisible : rechargez la page et recommencez\. Rien n’a été enregistré\./,
          );
        }
      }
      for (const url of [
        '/catalogue/ministeres/nouveau',
        `/catalogue/ministeres/${ministry}/modifier`,
        '/catalogue/administrations/nouvelle',
        `/catalogue/administrations/${administration}/modifier`,
      ]) {
        for (const payload of ['["code","x"]', '"code=x&name=y"', 'null']) {
          const res = await json(url, payload);
          assert.equal(res.statusCode, 400, `${url} ${payload}: ${res.statusCode}`);
          assert.match(res.body, /<h1>Paramètre invalide<\/h1>/, url);
          assert.match(res.body, /Entrée invalide/, url);
        }
      }
      assert.equal(await written(), before);
      // The same request with an object body is a form: it archives (the refusal above was the schema's, not CSRF's).
      const archived = await json(`/catalogue/ministeres/${catalog.ministries[1]}/archiver`, '{}');
      assert.equal(archived.statusCode, 303);
      assert.notEqual(await written(), before);
      assert.equal((await json(`/catalogue/ministeres/${catalog.ministries[1]}/restaurer`, '{}')).statusCode, 303);
    });

    test('an id of the URL that is not one: the same 404 as an unknown id, for the forms and the actions', async () => {
      const before = await written();
      const unknown = await admin.post('/catalogue/ministeres/999999999/modifier', { code: 'x', name: 'X' });
      assert.equal(unknown.statusCode, 404);
      for (const id of ['abc', '0', '01', '-1', '1e3', '12345678901234567', '9007199254740993']) {
        for (const [url, text] of [
          [`/catalogue/ministeres/${id}/modifier`, 'Ce ministère n’existe pas ou plus\\.'],
          [`/catalogue/ministeres/${id}/restaurer`, 'Ce ministère n’existe pas ou plus\\.'],
          [`/catalogue/administrations/${id}/modifier`, '(Cette administration|Cette page) n’existe pas ou plus\\.'],
          [`/catalogue/administrations/${id}/archiver`, '(Cette administration|Cette page) n’existe pas ou plus\\.'],
          [`/catalogue/demarches/${id}/restaurer`, '(Cette démarche|Cette page) n’existe pas ou plus\\.'],
        ] as const) {
          const res = await admin.post(url, { code: 'pirate', name: 'Pirate', kind: 'direction', ministry_id: '1' });
          assert.equal(res.statusCode, 404, `${url}: ${res.statusCode}`);
          assert.match(res.body, /<h1>Page non trouvée<\/h1>/, url);
          assert.match(res.body, new RegExp(text), url);
        }
      }
      for (const id of ['abc', 'A'.repeat(32), '0'.repeat(33)]) {
        assert.equal((await admin.post(`/catalogue/import/${id}/confirmer`)).statusCode, 404, id);
      }
      assert.equal(await written(), before);
    });

    test('hand-edited edit forms: repeated or unknown fields still show the DSFR error summary, nothing written', async () => {
      const before = await written();
      const ministry = await admin.post('/catalogue/ministeres/nouveau', { code: ['a', 'b'], name: 'Ministère répété', pirate: 'x' });
      assert.equal(ministry.statusCode, 400);
      assert.match(ministry.body, /id="resume-erreurs"/);
      assert.match(ministry.body, /<a href="#champ-code">Code : Le code est obligatoire\.<\/a>/);
      // The field typed is shown again as typed.
      assert.match(ministry.body, /value="Ministère répété"/);
      const administration = await admin.post(`/catalogue/administrations/${catalog.administrations[0]}/modifier`, {
        code: 'rsc-adm-1',
        name: 'Administration',
        kind: ['direction', 'operateur'],
        ministry_id: ['1', '2'],
      });
      assert.equal(administration.statusCode, 400);
      assert.match(administration.body, /id="resume-erreurs"/);
      assert.match(administration.body, /Choisissez un type dans la liste\./);
      assert.match(administration.body, /Choisissez un ministère\./);
      assert.equal(await written(), before);
    });

    test('the import without a file: the form again with its message; a real form still saves', async () => {
      const before = await written();
      const noFile = await admin.post('/catalogue/import', { fichier: 'pas-un-fichier.csv' });
      assert.equal(noFile.statusCode, 400);
      assert.match(noFile.body, /Choisissez un fichier à importer\./);
      assert.equal(await written(), before);
      const saved = await admin.post('/catalogue/ministeres/nouveau', { code: 'rsc-nouveau', name: 'Ministère nouveau' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/catalogue/ministeres?enregistre=1');
    });
  });
}
