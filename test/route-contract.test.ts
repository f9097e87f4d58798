/**
 * The route contract, read off the route table: every route whose URL has parameters validates them with a schema,
 * and every POST states its body — its fields (`formBody`, a zod object), an action form with no field of its own
 * (`actionForm`) or a file upload read by its handler (`multipartBody`). A new route that forgets enters this test by
 * itself and fails it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, testConfig as t2Config, type TestApp } from './helpers/app.ts';

describe('the route contract', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('pglite');
  });
  after(() => t.close());

  test('every URL parameter and every POST body is validated by a route schema', () => {
    const missing: string[] = [];
    for (const route of t.app.routeTable) {
      const parts: string[] = [];
      if (route.url.includes(':') && !route.schema.params) parts.push('params');
      if (route.method === 'POST' && !route.schema.body) parts.push('body');
      if (parts.length > 0) missing.push(`${route.method} ${route.url} ${parts.join(',')}`);
    }
    assert.ok(t.app.routeTable.length > 200, `only ${t.app.routeTable.length} routes: the table is not the server's`);
    assert.deepEqual(missing, [], 'routes without their schemas (declare them: src/kernel/web/schemas.ts, src/kernel/web/ids.ts)');
  });
});

describe('the route contract for queries (under the test runner)', () => {
  test('a route without a querystring schema that reads its query fails, naming the route and the key', async () => {
    const Fastify = (await import('fastify')).default;
    const { registerUndeclaredQueryCheck } = await import('../src/kernel/web/undeclared-queries.ts');
    const { zodValidatorCompiler } = await import('../src/kernel/web/schemas.ts');
    const { z } = await import('zod');
    const app = Fastify();
    app.setValidatorCompiler(zodValidatorCompiler);
    registerUndeclaredQueryCheck(app);
    app.get('/undeclared', async (request) => ({ tri: (request.query as { tri?: string }).tri ?? null }));
    app.get('/declared', { schema: { querystring: z.object({ tri: z.string().optional() }) } }, async (request) => ({
      tri: (request.query as { tri?: string }).tri ?? null,
    }));
    app.get('/unread', async () => ({ ok: true }));
    try {
      const undeclared = await app.inject('/undeclared?tri=nom');
      assert.equal(undeclared.statusCode, 500);
      assert.match(undeclared.json().message, /GET \/undeclared lit \?tri sans schéma querystring/);
      assert.deepEqual((await app.inject('/declared?tri=nom')).json(), { tri: 'nom' });
      // A query sent to a route that reads none is simply ignored.
      assert.deepEqual((await app.inject('/unread?tri=nom')).json(), { ok: true });
    } finally {
      await app.close();
    }
  });

  test('the check is on in the test servers and off by default', async () => {
    const { loadConfig } = await import('../src/kernel/config.ts');
    assert.equal(t2Config().checkQueryReads, true);
    assert.equal(
      loadConfig({ VIGIE_DATA_DIR: '.test-cache/data', NODE_ENV: 'production' }, { sessionSecret: 'x'.repeat(40) }).checkQueryReads,
      false,
    );
  });
});
