/**
 * Bad input never gives a 500 (issue 10): each case an attack found, reproduced, answered 400 with a French message
 * (an HTML page, or problem+json under /api) and nothing written. The input guard is src/kernel/web/input-guard.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { TEST_TARGETS } from './helpers/db.ts';
import { createTestApp, testConfig, type TestApp } from './helpers/app.ts';
import { TestClient } from './helpers/client.ts';
import { createTestUser, sessionClient, TEST_PASSWORD } from './helpers/users.ts';
import { countRows } from '../src/accounts/testing.ts';
import { buildServer } from '../src/kernel/web/server.ts';
import type { VigieModule } from '../src/kernel/module.ts';
import { checkJsonDepth, MAX_JSON_DEPTH } from '../src/kernel/web/input-guard.ts';
import type { TestDb } from './helpers/db.ts';
import { openTestDb } from './helpers/db.ts';
import { PUBLIC } from '../src/kernel/web/access.ts';
import { createTestCatalog } from '../src/catalog/testing.ts';

/** Rows of the tables a refused request might have written. */
async function fingerprint(db: TestApp['db']): Promise<string> {
  const counts = [];
  for (const table of ['audit_log', 'users', 'sessions', 'procedures', 'feedback_forms', 'invitations'])
    counts.push(`${table}=${await countRows(db, table)}`);
  return counts.join(' ');
}

function assertRefusedPage(res: { statusCode: number; headers: Record<string, unknown>; body: string }, title: RegExp, what: string): void {
  assert.equal(res.statusCode, 400, `${what}: ${res.statusCode}`);
  assert.match(String(res.headers['content-type']), /text\/html/, what);
  assert.match(res.body, title, what);
  assert.match(res.body, /Rien n’a été enregistré/, what);
}

for (const target of TEST_TARGETS) {
  describe(`bad input gets a 400, never a 500 (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    let formId: number;
    before(async () => {
      t = await createTestApp(target);
      const catalog = await createTestCatalog(t.db, { prefix: 'bad' });
      const adminId = await createTestUser(t.db, 'admin-bad-input@exemple.gouv.fr', [{ role: 'admin' }]);
      admin = await sessionClient(t.app, t.db, adminId);
      const form = await admin.post('/avis/formulaires', {
        procedure_id: String(catalog.procedures[0]),
        name: 'Formulaire du test',
        template: 'default',
      });
      const { rows } = await t.db.query<{ id: number }>('SELECT id FROM feedback_forms ORDER BY id DESC LIMIT 1');
      assert.ok(rows[0], `form created (${form.statusCode})`);
      formId = Number(rows[0].id);
    });
    after(() => t.close());

    test('a NUL byte in a query parameter: 400 « Caractère interdit » on each route where it gave 500', async () => {
      const before = await fingerprint(t.db);
      for (const url of [
        '/observatoire?q=%00',
        '/observatoire?q=abc%00def',
        '/observatoire?ministere=%00',
        '/observatoire?administration=%00',
        '/admin/journal?acteur=%00',
        '/admin/journal?type=%00',
        '/admin/journal?action=%00',
        '/catalogue?q=%00',
        `/avis/formulaires/${formId}/reponses?q=%00`,
      ]) {
        assertRefusedPage(await admin.get(url), /<h1>Caractère interdit<\/h1>/, url);
      }
      assert.equal(await fingerprint(t.db), before);
    });

    test('the API answers the same refusal as problem+json', async () => {
      const res = await t.app.inject({ url: '/api/v1/editions?x=%00' });
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      const problem = res.json();
      assert.equal(problem.status, 400);
      assert.equal(problem.title, 'Caractère interdit');
      assert.match(problem.detail, /caractère nul/);
    });

    test('bytes that are not UTF-8, percent-encoded in the query or the path: 400 « Texte invalide »', async () => {
      for (const url of ['/observatoire?q=%C3%28', '/observatoire?q=%FF', '/catalogue?q=caf%E9', '/observatoire/demarches/%C3']) {
        assertRefusedPage(await admin.get(url), /<h1>Texte invalide<\/h1>/, url);
      }
      // Valid UTF-8 is untouched: « café » percent-encoded.
      assert.equal((await admin.get('/catalogue?q=caf%C3%A9')).statusCode, 200);
    });

    test('`?option=constructor:x` (and __proto__, toString) is an unknown filter, ignored: the page answers 200', async () => {
      for (const option of ['constructor:x', '__proto__:x', 'toString:x', 'hasOwnProperty:', 'valueOf:valueOf']) {
        const res = await admin.get(`/avis/formulaires/${formId}/reponses?option=${encodeURIComponent(option)}`);
        assert.equal(res.statusCode, 200, `${option}: ${res.statusCode}`);
      }
      // A known option still filters (the select shows it chosen).
      const known = await admin.get(`/avis/formulaires/${formId}/reponses?option=satisfaction:oui`);
      assert.equal(known.statusCode, 200);
    });

    test('prototype names as path values are unknown things (404 or a page), not 500: export format, category code', async () => {
      for (const url of [
        '/observatoire/editions/1/export.constructor',
        '/observatoire/editions/1/export.__proto__',
        '/observatoire/tableaux-de-bord/categories/constructor',
        '/observatoire/tableaux-de-bord/categories/toString',
      ]) {
        const res = await admin.get(url);
        assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
      }
      assert.equal((await admin.get('/observatoire/editions/1/export.constructor')).statusCode, 404);
    });

    test('a notice key naming a prototype member shows no notice instead of failing', async () => {
      for (const key of ['constructor', 'toString', '__defineGetter__']) {
        const res = await admin.get(`/compte?ok=${key}`);
        assert.equal(res.statusCode, 200, key);
        assert.doesNotMatch(res.body, /function|native code/, key);
      }
    });

    test('a prototype name as a parameter *name* is refused: query string and form body, nothing written', async () => {
      const before = await fingerprint(t.db);
      for (const url of [
        '/observatoire?__proto__=x',
        '/observatoire?constructor=x',
        '/catalogue?a[__proto__][x]=1',
        '/observatoire?__proto__.x=1',
        '/observatoire?%5F%5Fproto%5F%5F=x',
      ]) {
        assertRefusedPage(await admin.get(url), /<h1>Paramètre refusé<\/h1>/, url);
      }
      const anonymous = new TestClient(t.app);
      const csrf = await anonymous.csrf('/connexion');
      const raw = await anonymous.request({
        method: 'POST',
        url: '/connexion',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrf)}&email=x%40exemple.gouv.fr&password=x&constructor=1`,
      });
      assertRefusedPage(raw, /<h1>Paramètre refusé<\/h1>/, 'form body');
      assert.equal(await fingerprint(t.db), before);
    });

    test('a NUL byte or invalid bytes in a form field: 400, nothing written', async () => {
      const before = await fingerprint(t.db);
      const csrf = await admin.csrf('/compte');
      for (const [payload, title] of [
        [`_csrf=${encodeURIComponent(csrf)}&display_name=abc%00`, /Caractère interdit/],
        [`_csrf=${encodeURIComponent(csrf)}&display_name=abc%FF`, /Texte invalide/],
      ] as const) {
        const res = await admin.request({
          method: 'POST',
          url: '/compte/profil',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload,
        });
        assertRefusedPage(res, title, payload);
      }
      assert.equal(await fingerprint(t.db), before);
    });

    test('about 1 MB of deeply nested JSON posted to /connexion: 400 « Contenu trop imbriqué », the server answers on', async () => {
      const depth = 500_000;
      for (const payload of ['['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth / 5) + '1' + '}'.repeat(depth / 5)]) {
        const res = await t.app.inject({ method: 'POST', url: '/connexion', headers: { 'content-type': 'application/json' }, payload });
        assertRefusedPage(res, /<h1>Contenu trop imbriqué<\/h1>/, `${payload.length} bytes`);
      }
      // JSON with a __proto__ key is refused too, and malformed JSON is a 400 as well.
      const proto = await t.app.inject({
        method: 'POST',
        url: '/connexion',
        headers: { 'content-type': 'application/json' },
        payload: '{"email":"a@b.fr","__proto__":{"isAdmin":true}}',
      });
      assertRefusedPage(proto, /<h1>Paramètre refusé<\/h1>/, '__proto__ JSON');
      const broken = await t.app.inject({
        method: 'POST',
        url: '/connexion',
        headers: { 'content-type': 'application/json' },
        payload: '{"email":',
      });
      assertRefusedPage(broken, /<h1>Contenu illisible<\/h1>/, 'malformed JSON');
      assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
    });

    test('ordinary input still goes through: a sign-in with the right password', async () => {
      const email = 'ordinaire-bad-input@exemple.gouv.fr';
      await createTestUser(t.db, email);
      const client = new TestClient(t.app);
      await client.get('/connexion');
      const res = await client.post('/connexion', { email, password: TEST_PASSWORD });
      assert.equal(res.statusCode, 303);
    });
  });
}

test('the JSON depth check counts brackets outside strings only, and stops at the limit', () => {
  assert.doesNotThrow(() => checkJsonDepth('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)));
  assert.throws(() => checkJsonDepth('['.repeat(MAX_JSON_DEPTH + 1)), /imbriqué/);
  assert.doesNotThrow(() => checkJsonDepth(JSON.stringify({ text: '['.repeat(1000) + '\\"{{{{' })));
});

/** A download that fails before its first byte, after the compression plugin prepared a gzip response. */
const failingExport: VigieModule = {
  name: 'test-failing-export',
  routes: async (app) => {
    app.get('/test/export-qui-echoue.csv', PUBLIC, async (_request, reply) => {
      const stream = new Readable({
        read() {
          this.destroy(new Error('the database went away'));
        },
      });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="export.csv"').send(stream);
    });
  },
};

for (const target of TEST_TARGETS) {
  describe(`error pages are encoded as they announce (${target})`, () => {
    let db: TestDb;
    let app: Awaited<ReturnType<typeof buildServer>>;
    before(async () => {
      db = await openTestDb(target);
      app = await buildServer({ config: testConfig(), db, mailer: { async send() {}, async close() {} }, jobs: null }, [failingExport]);
      await app.ready();
    });
    after(async () => {
      await app.close();
      await db.destroy();
    });

    test('a 500 after a gzip export started: the page is really gzip (or not announced as such), and not an attachment', async () => {
      const res = await app.inject({ url: '/test/export-qui-echoue.csv', headers: { 'accept-encoding': 'gzip' } });
      assert.equal(res.statusCode, 500);
      assert.equal(res.headers['content-disposition'], undefined);
      assert.match(String(res.headers['content-type']), /text\/html/);
      const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.rawPayload).toString() : res.body;
      assert.match(body, /Erreur inattendue/);
    });
  });
}
