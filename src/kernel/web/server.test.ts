import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';

for (const target of TEST_TARGETS) {
  describe(`web kernel (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
    });
    after(async () => t.close());

    test('pages carry the DSFR layout, a French title and a strict CSP', async () => {
      const res = await t.app.inject('/');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<title>Accueil – Vigie<\/title>/);
      assert.match(res.body, /href="\/accessibilite"/);
      assert.match(res.body, /href="\/mentions-legales"/);
      assert.match(res.body, /href="\/donnees-personnelles"/);
      assert.match(res.body, /href="\/plan-du-site"/);
      assert.match(res.body, /class="fr-skiplinks"/);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
    });

    test('unknown pages get the DSFR 404 page', async () => {
      const res = await t.app.inject('/nulle-part');
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /Page non trouvée/);
    });

    test('DSFR assets are served by Vigie itself', async () => {
      const res = await t.app.inject('/assets/dsfr/dsfr.min.css');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/css/);
    });

    test('health, readiness and metrics answer', async () => {
      assert.equal((await t.app.inject('/healthz')).statusCode, 200);
      const ready = await t.app.inject('/readyz');
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().database, target);
      const metrics = await t.app.inject('/metrics');
      assert.match(metrics.body, /process_cpu_user_seconds_total/);
    });

    test('a POST without CSRF token is refused with a French page', async () => {
      const client = new TestClient(t.app);
      const res = await client.post('/deconnexion', {}, { csrf: false });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /Formulaire expiré/);
    });
  });
}
