/**
 * The OpenAPI document: every `/api` route of the route table is in it, the routes that need an API key (declared
 * access `{ apiKey }`) carry the security requirement and the others do not, and the document is valid OpenAPI.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { TEST_TARGETS } from './helpers/db.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

// The document is the same on both engines: PGlite is enough.
for (const target of TEST_TARGETS.slice(0, 1)) {
  describe(`OpenAPI document (${target})`, () => {
    let t: TestApp;
    let doc: {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    before(async () => {
      t = await createTestApp(target);
      const res = await t.app.inject('/api/openapi.json');
      assert.equal(res.statusCode, 200);
      doc = res.json();
    });
    after(async () => t.close());

    test('is valid against the OpenAPI specification', async () => {
      const validator = new Validator();
      const result = await validator.validate(structuredClone(doc));
      assert.deepEqual(result.errors ?? [], []);
      assert.equal(result.valid, true);
      assert.equal(validator.version, '3.1');
    });

    test('every /api route is described, with a key exactly where the route needs one', () => {
      const routes = t.app.routesWithAccess.filter(
        (r) => r.url.startsWith('/api/') && r.url !== '/api/openapi.json' && r.url !== '/api/docs',
      );
      assert.ok(routes.length >= 10, 'the public and the feedback API are both there');
      const keyed: string[] = [];
      for (const route of routes) {
        for (const method of [route.method].flat().filter((m) => m !== 'HEAD')) {
          const path = route.url.replace(/:(\w+)/g, '{$1}');
          const operation = doc.paths[path]?.[method.toLowerCase()];
          assert.ok(operation, `${method} ${route.url} is missing from /api/openapi.json`);
          const access = route.config!.access!;
          const needsKey = typeof access === 'object' && 'apiKey' in access;
          assert.deepEqual(operation.security, needsKey ? [{ cleApi: [] }] : undefined, `${method} ${route.url}`);
          if (needsKey) keyed.push(path);
        }
      }
      // By hand: the feedback API is the one that needs a key.
      assert.deepEqual(keyed.sort(), [
        '/api/v1/feedback/forms/{id}/indicators',
        '/api/v1/feedback/procedures',
        '/api/v1/feedback/procedures/{id}/indicators',
      ]);
      assert.deepEqual(doc.components.securitySchemes.cleApi, { ...doc.components.securitySchemes.cleApi, type: 'http', scheme: 'bearer' });
    });

    test('every operation is generated from its route schemas: a summary, typed answers, problems for errors', () => {
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ name: `${method} ${path}`, op: op as Record<string, any> })),
      );
      assert.ok(operations.length >= 18, `${operations.length} operations`);
      for (const { name, op } of operations) {
        assert.equal(typeof op.summary, 'string', name);
        assert.equal(typeof op.operationId, 'string', name);
        const ok = op.responses['200']?.content?.['application/json']?.schema;
        assert.ok(ok, `${name}: a JSON answer`);
        // Typed rows: the answer declares its properties (never a bare « object »).
        assert.equal(ok.type, 'object', name);
        assert.ok(Object.keys(ok.properties ?? {}).length > 0, `${name}: the answer's properties`);
        for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
          if (status === '200') continue;
          const problem = response.content?.['application/json']?.schema ?? response.content?.['application/problem+json']?.schema;
          assert.deepEqual(problem?.required, ['title', 'status'], `${name} ${status}: a problem`);
        }
      }
    });

    test('the readable page says which routes need a key and the date format', async () => {
      const page = await t.app.inject('/api/docs');
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /Une API REST en lecture seule, sans authentification/);
      assert.match(page.body, /Authorization: Bearer &lt;clé&gt;/);
      assert.match(page.body, /AAAA-MM-JJ/);
      assert.match(
        page.body,
        /<code>GET \/api\/v1\/feedback\/procedures<\/code><\/h2>\s*<p>[^<]*(<br>[^<]*)?<\/p>\s*<p><strong>Authentification :<\/strong> clé d’API/,
      );
    });
  });
}
