import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { apiKeyFromHeader, authenticateApiKey, createApiKey } from '../kernel/auth/api-keys.ts';
import { createAccountToken } from './tokens.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { countRows } from './testing.ts';
import { createTestUser, signedInClient, TEST_PASSWORD } from '../../test/helpers/users.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

const keyIn = (body: string) => /<code id="nouvelle-cle">([^<]+)<\/code>/.exec(body)?.[1];

test('only well-formed bearer headers carry a key', () => {
  assert.equal(apiKeyFromHeader('Bearer vigie_abc'), 'vigie_abc');
  assert.equal(apiKeyFromHeader('bearer   vigie_abc '), 'vigie_abc');
  for (const bad of [
    undefined,
    null,
    '',
    'vigie_abc',
    'Basic dmlnaWU=',
    'Bearer other_abc',
    'Bearer vigie_a b',
    `Bearer vigie_${'x'.repeat(300)}`,
  ]) {
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
      assert.deepEqual(
        user?.grants.map((g) => [g.role, g.procedureId]),
        [['procedure_editor', cat.procedures[0]]],
      );
      await authenticateApiKey(t.db, `Bearer ${key}`);
      const counted = (await t.db.query('SELECT call_count, last_used_at FROM api_keys')).rows[0];
      assert.equal(counted.call_count, 2);
      assert.ok(counted.last_used_at);

      // Grants are read at each call: a removed grant no longer applies.
      await t.db.query(`DELETE FROM grants WHERE user_id = $1`, [user!.id]);
      assert.deepEqual((await authenticateApiKey(t.db, `Bearer ${key}`))?.grants, []);
      assert.equal(await authenticateApiKey(t.db, `Bearer ${key}x`), null);
      await t.db.query(`INSERT INTO grants (user_id, role, procedure_id) VALUES ($1, 'procedure_editor', $2)`, [
        user!.id,
        cat.procedures[0],
      ]);
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

    /** What the API answers to a call with this key. */
    const callWith = async (key: string) =>
      (await t.app.inject({ url: '/api/v1/feedback/procedures', headers: { authorization: `Bearer ${key}` } })).statusCode;

    test('a password reset revokes the owner’s API keys, and the pages say so before and after', async () => {
      const id = await createTestUser(t.db, 'oubli-cles@exemple.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[0] }]);
      const keys = [(await createApiKey(t.db, id, 'script 1')).key, (await createApiKey(t.db, id, 'script 2')).key];
      const othersKey = (
        await createApiKey(t.db, (await t.db.query(`SELECT id FROM users WHERE email = 'api@exemple.gouv.fr'`)).rows[0].id, 'autre script')
      ).key;
      for (const key of [...keys, othersKey]) assert.equal(await callWith(key), 200);

      const token = await createAccountToken(t.db, id, 'password_reset', 'oubli-cles@exemple.gouv.fr');
      const c = new TestClient(t.app, { remoteAddress: `10.6.1.${++ip}` });
      const form = await c.get(`/reinitialisation-mot-de-passe?jeton=${token}`);
      assert.match(form.body, /vos 2 clés d’API actives seront révoquées/);
      const done = await c.post('/reinitialisation-mot-de-passe', {
        jeton: token,
        password: 'phrase-toute-neuve-1',
        password_confirmation: 'phrase-toute-neuve-1',
      });
      assert.equal(done.statusCode, 303);
      const page = await c.get(String(done.headers.location));
      assert.match(page.body, /vos clés d’API sont révoquées/);
      for (const key of keys) assert.equal(await callWith(key), 401, 'the owner’s keys stop working');
      assert.equal(await callWith(othersKey), 200, 'another user’s key is untouched');
      const audit = await t.db.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'api_key.revoke' AND after->>'reason' = 'password_reset'`,
      );
      assert.equal(audit.rows[0].n, 2);

      // Without keys, the pages do not talk about them.
      const again = await createAccountToken(t.db, id, 'password_reset', 'oubli-cles@exemple.gouv.fr');
      assert.doesNotMatch((await c.get(`/reinitialisation-mot-de-passe?jeton=${again}`)).body, /clés d’API/);
      const quiet = await c.post('/reinitialisation-mot-de-passe', {
        jeton: again,
        password: 'phrase-toute-neuve-2',
        password_confirmation: 'phrase-toute-neuve-2',
      });
      assert.equal(quiet.headers.location, '/connexion?ok=mot-de-passe-reinitialise');
    });

    test('« se déconnecter de tous les appareils » offers to revoke the API keys; the page says which happened', async () => {
      const id = await createTestUser(t.db, 'partout@exemple.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[0] }]);
      const key = (await createApiKey(t.db, id, 'tableau de bord')).key;
      const c = await as('partout@exemple.gouv.fr');
      const account = await c.get('/compte');
      assert.match(account.body, /Révoquer aussi mes clés d’API \(1 clé active\)/);

      const kept = await c.post('/compte/sessions/fermer');
      assert.equal(kept.headers.location, '/connexion?ok=deconnecte-partout-cles-actives');
      assert.match((await c.get(String(kept.headers.location))).body, /Vos clés d’API restent actives/);
      assert.equal(await callWith(key), 200, 'not asked: the key keeps working');

      const again = await as('partout@exemple.gouv.fr');
      const revoked = await again.post('/compte/sessions/fermer', { revoquer_cles: 'oui' });
      assert.equal(revoked.headers.location, '/connexion?ok=deconnecte-partout-cles-revoquees');
      assert.match((await again.get(String(revoked.headers.location))).body, /vos clés d’API sont révoquées/);
      assert.equal(await callWith(key), 401);
      assert.equal((await again.get('/compte')).statusCode, 303, 'signed out');
      const last = await as('partout@exemple.gouv.fr');
      assert.doesNotMatch((await last.get('/compte')).body, /Révoquer aussi mes clés/, 'no key left, nothing offered');
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
