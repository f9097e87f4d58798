import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { apiKeyFromHeader, authenticateApiKey } from '../kernel/auth/api-keys.ts';
import { countRows, createTestCatalog, type TestCatalog } from './testing.ts';
import { createTestUser, signedInClient, TEST_PASSWORD } from '../../test/helpers/users.ts';

const keyIn = (body: string) => /<code id="nouvelle-cle">([^<]+)<\/code>/.exec(body)?.[1];

test('only well-formed bearer headers carry a key', () => {
  assert.equal(apiKeyFromHeader('Bearer vigie_abc'), 'vigie_abc');
  assert.equal(apiKeyFromHeader('bearer   vigie_abc '), 'vigie_abc');
  for (const bad of [undefined, null, '', 'vigie_abc', 'Basic dmlnaWU=', 'Bearer other_abc', 'Bearer vigie_a b', `Bearer vigie_${'x'.repeat(300)}`]) {
    assert.equal(apiKeyFromHeader(bad), null, String(bad));
  }
});

for (const target of TEST_TARGETS) {
  describe(`API keys (${target})`, () => {
    let t: TestApp;
    let cat: TestCatalog;
    let ip = 0;
    const as = (email: string) => signedInClient(t.app, email, TEST_PASSWORD, `10.6.0.${++ip}`);
    before(async () => {
      t = await createTestApp(target);
      cat = await createTestCatalog(t.db);
      await createTestUser(t.db, 'api@exemple.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[0] }]);
      await createTestUser(t.db, 'autre@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: cat.procedures[1] }]);
      await createTestUser(t.db, 'sansdroit@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('a key is shown once, stored hashed, acts with the owner’s current grants and counts its calls', async () => {
      const c = await as('api@exemple.gouv.fr');
      await c.get('/compte/cles-api');
      const res = await c.post('/compte/cles-api', { name: '<b>Import</b> nocturne' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const key = keyIn(res.body)!;
      assert.match(key, /^vigie_[A-Za-z0-9_-]{43}$/);
      assert.match(res.body, /&lt;b&gt;Import&lt;\/b&gt; nocturne/);
      const stored = (await t.db.query('SELECT prefix, secret_hash FROM api_keys')).rows[0];
      assert.ok(key.startsWith(stored.prefix));
      assert.notEqual(stored.secret_hash, key);
      const list = await c.get('/compte/cles-api');
      assert.ok(!list.body.includes(key), 'never shown again');
      assert.ok(list.body.includes(`${stored.prefix}…`));

      const user = await authenticateApiKey(t.db, `Bearer ${key}`);
      assert.equal(user?.email, 'api@exemple.gouv.fr');
      assert.deepEqual(user?.grants.map((g) => [g.role, g.procedureId]), [['procedure_editor', cat.procedures[0]]]);
      await authenticateApiKey(t.db, `Bearer ${key}`);
      const counted = (await t.db.query('SELECT call_count, last_used_at FROM api_keys')).rows[0];
      assert.equal(counted.call_count, 2);
      assert.ok(counted.last_used_at);

      // Grants are read at each call: a removed grant no longer applies.
      await t.db.query(`DELETE FROM grants WHERE user_id = $1`, [user!.id]);
      assert.deepEqual((await authenticateApiKey(t.db, `Bearer ${key}`))?.grants, []);
      assert.equal(await authenticateApiKey(t.db, `Bearer ${key}x`), null);
      await t.db.query(`INSERT INTO grants (user_id, role, procedure_id) VALUES ($1, 'procedure_editor', $2)`, [user!.id, cat.procedures[0]]);
    });

    test('revoking a key or disabling its owner stops it; only the owner revokes', async () => {
      const c = await as('api@exemple.gouv.fr');
      await c.get('/compte/cles-api');
      const key = keyIn((await c.post('/compte/cles-api', { name: 'à révoquer' })).body)!;
      const id = (await t.db.query(`SELECT id FROM api_keys WHERE name = 'à révoquer'`)).rows[0].id;

      const other = await as('autre@exemple.gouv.fr');
      await other.get('/compte/cles-api');
      const audit = await countRows(t.db, 'audit_log');
      assert.equal((await other.post(`/compte/cles-api/${id}/revoquer`)).statusCode, 403);
      assert.equal(await countRows(t.db, 'audit_log'), audit);
      assert.ok(await authenticateApiKey(t.db, `Bearer ${key}`));

      await t.db.query(`UPDATE users SET disabled_at = now() WHERE email = 'api@exemple.gouv.fr'`);
      assert.equal(await authenticateApiKey(t.db, `Bearer ${key}`), null);
      await t.db.query(`UPDATE users SET disabled_at = NULL WHERE email = 'api@exemple.gouv.fr'`);

      assert.equal((await c.post(`/compte/cles-api/${id}/revoquer`)).statusCode, 303);
      assert.equal(await authenticateApiKey(t.db, `Bearer ${key}`), null);
      assert.match((await c.get('/compte/cles-api')).body, /Révoquée le/);
    });

    test('a name is required and bounded; users without any grant have no keys', async () => {
      const c = await as('api@exemple.gouv.fr');
      await c.get('/compte/cles-api');
      const before = await countRows(t.db, 'api_keys');
      assert.equal((await c.post('/compte/cles-api', { name: '   ' })).statusCode, 400);
      const long = await c.post('/compte/cles-api', { name: 'x'.repeat(101) });
      assert.equal(long.statusCode, 400);
      assert.match(long.body, /100 caractères au maximum/);
      assert.equal(await countRows(t.db, 'api_keys'), before);
      const none = await as('sansdroit@exemple.gouv.fr');
      assert.equal((await none.get('/compte/cles-api')).statusCode, 403);
    });
  });
}
