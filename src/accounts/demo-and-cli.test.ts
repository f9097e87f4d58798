import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { seedCatalogDemo } from '../catalog/index.ts';
import { seedAccountsDemo } from './demo.ts';
import { createAdmin } from './create-admin.ts';
import { signedInClient } from '../../test/helpers/users.ts';

for (const target of TEST_TARGETS) {
  describe(`create-admin and demo accounts (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
    });
    after(async () => t.close());

    test('demo accounts need the catalogue demo and fail loudly without it', async () => {
      await assert.rejects(seedAccountsDemo(t.db), /interieur/);
      assert.equal((await t.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n, 0);
    });

    test('create-admin generates a strong password that signs in, and promotes an existing account', async () => {
      const created = await createAdmin(t.db, 'Chef@Exemple.gouv.fr');
      assert.equal(created.created, true);
      assert.equal(created.email, 'chef@exemple.gouv.fr');
      assert.ok(created.password && created.password.length >= 20);
      const c = await signedInClient(t.app, 'chef@exemple.gouv.fr', created.password!, '10.7.0.1');
      assert.equal((await c.get('/admin/utilisateurs')).statusCode, 200);
      assert.match((await c.get('/compte')).body, /Adresse électronique non vérifiée/);

      const again = await createAdmin(t.db, 'chef@exemple.gouv.fr');
      assert.equal(again.created, false);
      assert.equal(again.password, null, 'an existing password is kept');
      assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM grants WHERE role = 'admin'`)).rows[0].n, 1);
      await createAdmin(t.db, 'chef@exemple.gouv.fr', 'un-mot-de-passe-choisi');
      await signedInClient(t.app, 'chef@exemple.gouv.fr', 'un-mot-de-passe-choisi', '10.7.0.2');
      await assert.rejects(createAdmin(t.db, 'pas-une-adresse'), /Adresse électronique invalide/);
      await assert.rejects(createAdmin(t.db, 'x@exemple.gouv.fr', 'court'), /entre 12 et/);
      assert.ok((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE after->>'via' = 'cli'`)).rows[0].n >= 2);
    });

    test('one demo account per role, each signing in with its printed password and scoped as announced', async () => {
      await seedCatalogDemo(t.db);
      const credentials = await seedAccountsDemo(t.db);
      assert.equal(credentials.length, 5);
      const expected = ['admin', 'ministry_referent', 'administration_member', 'procedure_editor', 'procedure_reader'];
      for (const [i, cred] of credentials.entries()) {
        const c = await signedInClient(t.app, cred.email, cred.password, `10.7.1.${i}`);
        const { rows } = await t.db.query(
          `SELECT g.role, m.code AS ministry, a.code AS administration, p.stable_id AS procedure, u.is_demo
             FROM grants g JOIN users u ON u.id = g.user_id
             LEFT JOIN ministries m ON m.id = g.ministry_id LEFT JOIN administrations a ON a.id = g.administration_id
             LEFT JOIN procedures p ON p.id = g.procedure_id WHERE u.email = $1`,
          [cred.email],
        );
        assert.equal(rows.length, 1);
        assert.equal(rows[0].role, expected[i]);
        assert.equal(rows[0].is_demo, true);
        assert.equal((await c.get('/admin/utilisateurs')).statusCode, i === 0 ? 200 : 403);
        if (i === 1) assert.equal(rows[0].ministry, 'interieur');
        if (i === 2) assert.equal(rows[0].administration, 'ants');
        if (i >= 3) assert.equal(rows[0].procedure, 'ants-immatriculation-autres-demandes');
      }
      // Seeding again gives new passwords and leaves one grant per account.
      const second = await seedAccountsDemo(t.db);
      assert.notEqual(second[0].password, credentials[0].password);
      const c = new TestClient(t.app, { remoteAddress: '10.7.2.1' });
      await c.get('/connexion');
      assert.equal((await c.post('/connexion', { email: credentials[0].email, password: credentials[0].password })).statusCode, 400);
      assert.equal(
        (await t.db.query(`SELECT count(*)::int AS n FROM grants g JOIN users u ON u.id = g.user_id WHERE u.is_demo`)).rows[0].n,
        5,
      );
    });
  });
}
