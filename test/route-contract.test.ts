/**
 * The route contract, read off the route table: every route whose URL has parameters validates them with a schema,
 * and every POST states its body — its fields (`formBody`, a zod object), an action form with no field of its own
 * (`actionForm`) or a file upload read by its handler (`multipartBody`). A new route that forgets enters this test by
 * itself and fails it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from './helpers/app.ts';

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
