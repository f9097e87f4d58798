import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { MODULES } from '../src/app.ts';
import type { VigieModule } from '../src/kernel/module.ts';
import { hasAnyGrant } from '../src/kernel/auth/scope.ts';
import { MEMBER } from '../src/kernel/web/access.ts';
import { sendPage } from '../src/kernel/web/render.ts';
import { html } from '../src/kernel/web/html.ts';
import { buildServer } from '../src/kernel/web/server.ts';
import { TEST_TARGETS, openTestDb, type TestDb } from './helpers/db.ts';
import { testConfig } from './helpers/app.ts';
import { TestClient } from './helpers/client.ts';
import { clientWithGrants } from './helpers/users.ts';
import { createTestCatalog } from '../src/catalog/testing.ts';

// docs/architecture.md « Adding a module »: the empty module of the walk-through, word for word, added to the list of
// src/app.ts by one line; nothing else is edited, and the kernel serves its route, guards it by its declared access,
// and lists it in the navigation and the site map.
const exampleModule: VigieModule = {
  name: 'example',
  routes: async (app) => {
    app.get('/exemple', MEMBER, (request, reply) => sendPage(request, reply, { title: 'Exemple', content: html`<h1>Exemple</h1>` }));
  },
  navigation: [{ label: 'Exemple', href: '/exemple', visible: hasAnyGrant, order: 50 }],
};

for (const target of TEST_TARGETS) {
  describe(`an empty module added in one folder and one line (${target})`, () => {
    let app: FastifyInstance;
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
      app = await buildServer({ config: testConfig(), db, mailer: { async send() {}, async close() {} }, jobs: null }, [
        ...MODULES,
        exampleModule,
      ]);
      await app.ready();
    });
    after(async () => {
      await app.close();
      await db.destroy();
    });

    test('its page is served to a member, with its line in the menu and the site map', async () => {
      const catalog = await createTestCatalog(db, { prefix: 'exemple' });
      const member = await clientWithGrants(app, db, [{ role: 'procedure_reader', procedureId: catalog.procedures[0] }]);
      const page = await member.get('/exemple');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Exemple<\/h1>/);
      assert.match(page.body, /<a class="fr-nav__link" href="\/exemple"[^>]*>Exemple<\/a>/);
      const map = await member.get('/plan-du-site');
      assert.match(map.body, /href="\/exemple"/);
    });

    test('its declared access keeps anonymous visitors out, and it is in the route table', async () => {
      const anonymous = await new TestClient(app).get('/exemple');
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/connexion/);
      assert.ok(app.routeTable.some((route) => route.url === '/exemple' && route.method === 'GET'));
    });
  });
}
