import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedCatalogDemo } from '../demo/seed.ts';
import { auditCount } from '../testing.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';

for (const target of TEST_TARGETS) {
  describe(`ministries and administrations pages (${target})`, () => {
    let t: TestApp;
    const id = async (table: string, code: string) =>
      (await t.db.query<{ id: number }>(`SELECT id FROM ${table} WHERE code = $1`, [code])).rows[0].id;
    before(async () => {
      t = await createTestApp(target);
      await seedCatalogDemo(t.db);
    });
    after(async () => t.close());

    test('the admin creates and renames a ministry, with errors next to the fields and an audit trail', async () => {
      const admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
      assert.equal((await admin.get('/catalogue/ministeres/nouveau')).statusCode, 200);
      const bad = await admin.post('/catalogue/ministeres/nouveau', { code: 'Intérieur', name: '' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="champ-code-erreur">Le code ne peut contenir/);
      assert.match(bad.body, /id="champ-name-erreur">Le nom est obligatoire/);
      const taken = await admin.post('/catalogue/ministeres/nouveau', { code: 'interieur', name: 'Doublon' });
      assert.match(taken.body, /Ce code est déjà utilisé/);
      const ok = await admin.post('/catalogue/ministeres/nouveau', {
        code: 'outre-mer',
        name: 'Ministère des Outre-mer',
        short_name: 'Outre-mer',
      });
      assert.equal(ok.statusCode, 303);
      const ministryId = await id('ministries', 'outre-mer');
      await admin.get(`/catalogue/ministeres/${ministryId}/modifier`);
      await admin.post(`/catalogue/ministeres/${ministryId}/modifier`, {
        code: 'outre-mer',
        name: 'Ministère des Outre-mer <b>',
        short_name: '',
      });
      const list = await admin.get('/catalogue/ministeres');
      assert.match(list.body, /Ministère des Outre-mer &lt;b&gt;/);
      const { rows } = await t.db.query(
        `SELECT action, before, after FROM audit_log WHERE entity_type = 'ministry' AND entity_id = $1 ORDER BY id`,
        [String(ministryId)],
      );
      assert.deepEqual(
        rows.map((r) => r.action),
        ['ministry.create', 'ministry.update'],
      );
      assert.equal(rows[1].before.name, 'Ministère des Outre-mer');
    });

    test('a ministry referent manages the administrations of their ministry only', async () => {
      const referent = await clientWithGrants(t.app, t.db, [{ role: 'ministry_referent', ministry: 'interieur' }]);
      assert.equal((await referent.get('/catalogue/ministeres/nouveau')).statusCode, 403);
      const newForm = await referent.get('/catalogue/administrations/nouvelle');
      assert.equal(newForm.statusCode, 200);
      assert.doesNotMatch(newForm.body, /Ministère de la Justice/, 'only their ministry is offered');
      const interieur = await id('ministries', 'interieur');
      const justice = await id('ministries', 'justice');
      const created = await referent.post('/catalogue/administrations/nouvelle', {
        code: 'dlpaj',
        name: 'Direction des libertés publiques',
        kind: 'direction',
        ministry_id: String(interieur),
      });
      assert.equal(created.statusCode, 303);
      const before = await auditCount(t.db);
      const elsewhere = await referent.post('/catalogue/administrations/nouvelle', {
        code: 'intrus',
        name: 'Intrus',
        kind: 'direction',
        ministry_id: String(justice),
      });
      assert.equal(elsewhere.statusCode, 403);
      const casier = await id('administrations', 'casier');
      assert.equal((await referent.get(`/catalogue/administrations/${casier}/modifier`)).statusCode, 403);
      const rename = await referent.post(`/catalogue/administrations/${casier}/modifier`, {
        code: 'casier',
        name: 'Renommé',
        kind: 'direction',
        ministry_id: String(justice),
      });
      assert.equal(rename.statusCode, 403);
      const ants = await id('administrations', 'ants');
      const move = await referent.post(`/catalogue/administrations/${ants}/modifier`, {
        code: 'ants',
        name: 'ANTS',
        kind: 'operateur',
        ministry_id: String(justice),
      });
      assert.equal(move.statusCode, 403, 'cannot move an administration out of their ministry');
      assert.equal((await referent.post(`/catalogue/administrations/${casier}/archiver`)).statusCode, 403);
      assert.equal(await auditCount(t.db), before);
      assert.equal((await t.db.query(`SELECT 1 FROM administrations WHERE code = 'intrus'`)).rows.length, 0);
      // Their own ministry's administration: archived (no longer offered for new procedures), then restored.
      assert.equal((await referent.post(`/catalogue/administrations/${ants}/archiver`)).statusCode, 303);
      const form = await referent.get('/catalogue/demarches/nouvelle');
      assert.doesNotMatch(form.body, /Agence nationale des titres sécurisés/);
      assert.equal((await referent.post(`/catalogue/administrations/${ants}/restaurer`)).statusCode, 303);
      const { rows } = await t.db.query(
        `SELECT action FROM audit_log WHERE entity_type = 'administration' AND entity_id = $1 ORDER BY id`,
        [String(ants)],
      );
      assert.deepEqual(
        rows.map((r) => r.action),
        ['administration.archive', 'administration.restore'],
      );
      assert.equal((await t.db.query(`SELECT name FROM administrations WHERE code = 'casier'`)).rows[0].name, 'Casier judiciaire national');
    });

    test('an administration member reads the lists but changes nothing', async () => {
      const member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administration: 'ants' }]);
      const list = await member.get('/catalogue/administrations');
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, /\/modifier/);
      assert.equal((await member.get('/catalogue/administrations/nouvelle')).statusCode, 403);
      const ministry = await id('ministries', 'interieur');
      assert.equal((await member.post(`/catalogue/ministeres/${ministry}/archiver`)).statusCode, 403);
    });
  });
}
