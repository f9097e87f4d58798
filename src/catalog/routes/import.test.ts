import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { seedCatalogDemo } from '../demo/seed.ts';
import { auditCount } from '../testing.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { toCsv, toXlsx, type Sheet } from '../../kernel/spreadsheet/fixtures.ts';

function multipart(fileName: string, content: Buffer) {
  const boundary = `----vigie${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function upload(client: TestClient, fileName: string, content: Buffer, options: { csrf?: boolean } = {}) {
  await client.get('/catalogue/import');
  const token = client.lastCsrf!;
  const { payload, contentType } = multipart(fileName, content);
  return client.request({
    method: 'POST',
    url: options.csrf === false ? '/catalogue/import' : `/catalogue/import?_csrf=${encodeURIComponent(token)}`,
    headers: { 'content-type': contentType },
    payload,
  });
}

const count = async (t: TestApp, where = 'TRUE') =>
  (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM procedures WHERE ${where}`)).rows[0].n;

for (const target of TEST_TARGETS) {
  describe(`import pages (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(target);
      await seedCatalogDemo(t.db);
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
    });
    after(async () => t.close());

    test('upload shows a preview that writes nothing; confirming applies exactly it, once', async () => {
      const sheet: Sheet = [
        ['Identifiant', 'Intitulé', 'Administration', 'Volume annuel total'],
        ['cnaf-nouvelle-aide', 'Nouvelle aide <b>familiale</b>', 'cnaf', 1000],
        ['cnaf-prime-activite', 'Demande de prime d’activité', 'cnaf', 3300000],
      ];
      const res = await upload(admin, 'aides.xlsx', await toXlsx(sheet));
      assert.equal(res.statusCode, 303);
      const location = String(res.headers.location);
      assert.match(location, /^\/catalogue\/import\/[0-9a-f]{32}$/);
      assert.equal(await count(t, `stable_id = 'cnaf-nouvelle-aide'`), 0, 'the preview writes nothing');
      const preview = await admin.get(location);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /1 démarche\(s\) à créer/);
      assert.match(preview.body, /1 démarche\(s\) à modifier/);
      assert.match(preview.body, /Nouvelle aide &lt;b&gt;familiale&lt;\/b&gt;/);
      // Before → after of the changed cell, not only the column's name (issue 11).
      assert.match(
        preview.body,
        /<td>Modification<\/td><td><ul class="vigie-diffs"><li><strong>Volume annuel total<\/strong> : <span class="vigie-before">\d+<\/span> → <span class="vigie-after">3300000<\/span><\/li><\/ul><\/td>/,
      );
      assert.match(preview.body, /Confirmer l’import/);
      const audits = await auditCount(t.db);
      const confirm = await admin.post(`${location}/confirmer`);
      assert.equal(confirm.statusCode, 303);
      assert.equal(await count(t, `stable_id = 'cnaf-nouvelle-aide'`), 1);
      assert.equal(
        (await t.db.query(`SELECT volume_total FROM procedures WHERE stable_id = 'cnaf-prime-activite'`)).rows[0].volume_total,
        3300000,
      );
      assert.equal(await auditCount(t.db), audits + 3, 'one entry per procedure and one for the import');
      const done = await admin.get(location);
      assert.match(done.body, /Import enregistré/);
      assert.doesNotMatch(done.body, /Confirmer l’import/);
      const again = await admin.post(`${location}/confirmer`);
      assert.equal(again.statusCode, 303);
      assert.equal(await auditCount(t.db), audits + 3, 'a second confirmation applies nothing');
    });

    test('errors are listed by line and column, and confirming is refused', async () => {
      const csv = toCsv([
        ['identifiant', 'intitule', 'administration', 'statut en ligne'],
        ['cnaf-ok', 'Correcte', 'cnaf', 'oui'],
        ['cnaf-ko', 'Statut faux', 'cnaf', '<script>x</script>'],
      ]);
      const res = await upload(admin, 'erreurs.csv', csv);
      const location = String(res.headers.location);
      const preview = await admin.get(location);
      assert.match(preview.body, /rien ne sera importé/);
      assert.match(preview.body, /<tr><td>3<\/td><td>statut en ligne<\/td><td>Statut inconnu/);
      assert.doesNotMatch(preview.body, /<script>x/);
      assert.doesNotMatch(preview.body, /Confirmer l’import/);
      const confirm = await admin.post(`${location}/confirmer`);
      assert.equal(confirm.statusCode, 400);
      assert.equal(await count(t, `stable_id IN ('cnaf-ok', 'cnaf-ko')`), 0);
    });

    test('an upload without the CSRF token is refused', async () => {
      const res = await upload(admin, 'x.csv', toCsv([['Identifiant'], ['a']]), { csrf: false });
      assert.equal(res.statusCode, 403);
    });

    test('a CSV that is not UTF-8 gets a clear message next to the file field', async () => {
      const res = await upload(admin, 'windows.csv', Buffer.from('Identifiant;Intitulé;Administration\ncnaf-x;Démarche;cnaf\n', 'latin1'));
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /id="champ-fichier-erreur">Le fichier n’est pas encodé en UTF-8/);
    });

    test('an administration member cannot import outside their administration; nobody else sees their preview', async () => {
      const member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administration: 'ants' }]);
      const csv = toCsv([
        ['Identifiant', 'Intitulé', 'Administration'],
        ['ants-nouvelle', 'Nouvelle démarche ANTS', 'ants'],
        ['dgfip-intrusion', 'Intrusion', 'dgfip'],
        ['dgfip-paiement-amendes', 'Titre changé', 'ants'],
      ]);
      const res = await upload(member, 'ants.csv', csv);
      const location = String(res.headers.location);
      const preview = await member.get(location);
      assert.match(preview.body, /<tr><td>3<\/td><td>Administration<\/td><td>L’administration « dgfip » n’est pas dans votre périmètre/);
      assert.match(preview.body, /<tr><td>4<\/td><td>Identifiant<\/td><td>Cette démarche existe mais n’est pas dans votre périmètre/);
      assert.equal((await member.post(`${location}/confirmer`)).statusCode, 400);
      assert.equal(await count(t, `stable_id IN ('ants-nouvelle', 'dgfip-intrusion')`), 0);
      assert.equal((await admin.get(location)).statusCode, 404, 'a preview belongs to who made it');
      const reader = await clientWithGrants(t.app, t.db, [{ role: 'procedure_reader', procedure: 'ants-passeport' }]);
      assert.equal((await reader.get('/catalogue/import')).statusCode, 403);
    });

    test('a 10 MB file of 10 000 rows goes through the upload, preview and confirmation', async () => {
      const padding = 'Texte de description qui grossit le fichier comme une vraie fiche. '.repeat(14);
      const rows: Sheet = [
        ['Identifiant', 'Intitulé', 'Administration', 'Description', 'Volume annuel total', 'Volume annuel en ligne', 'Publics'],
      ];
      for (let i = 0; i < 10_000; i++)
        rows.push([`gros-${i}`, `Démarche volumineuse ${i}`, 'urssaf', padding, 5000 + i, 4000 + i, 'professionnels']);
      const csv = toCsv(rows);
      assert.ok(csv.length > 9.5 * 1024 * 1024 && csv.length < 20 * 1024 * 1024, `${csv.length} bytes`);
      const res = await upload(admin, 'gros.csv', csv);
      assert.equal(res.statusCode, 303);
      const location = String(res.headers.location);
      const preview = await admin.get(location);
      assert.match(preview.body, /10[\s\u202f]000 démarche\(s\) à créer/);
      assert.match(preview.body, /les 500 premiers sur 10[\s\u202f]000/);
      assert.equal((await admin.post(`${location}/confirmer`)).statusCode, 303);
      assert.equal(await count(t, `stable_id LIKE 'gros-%'`), 10_000);
    });

    test('a file over 20 MB is refused', async () => {
      const res = await upload(admin, 'enorme.csv', Buffer.alloc(21 * 1024 * 1024, 'a'));
      assert.equal(res.statusCode, 413);
      assert.match(res.body, /dépasse 20 Mo/);
    });
  });
}
