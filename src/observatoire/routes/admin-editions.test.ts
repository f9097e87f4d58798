import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire back-office: editions (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 5 });
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9, 2, 8, 5, 7]);
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }], 'pilote@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('anonymous visitors are sent to sign in; people outside the steering team get 403', async () => {
      const anonymous = await t.app.inject('/observatoire/admin');
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/connexion\?retour=/);
      const member = await clientWithGrants(
        t.app,
        t.db,
        [{ role: 'administration_member', administrationId: f.administrations[0] }],
        'agent@exemple.gouv.fr',
      );
      assert.equal((await member.get('/observatoire/admin')).statusCode, 403);
      await member.get('/');
      const post = await member.post('/observatoire/admin/editions', {
        name: 'x',
        period: 'y',
        windowStart: '2026-01-01',
        windowEnd: '2026-02-01',
      });
      assert.equal(post.statusCode, 403);
      const { rows } = await t.db.query('SELECT count(*) AS n FROM obs_editions');
      assert.equal(rows[0].n, 0);
    });

    test('a draft with bad fields is refused with messages next to the fields and nothing written', async () => {
      await admin.get('/observatoire/admin');
      const res = await admin.post('/observatoire/admin/editions', {
        name: '',
        period: 'T1',
        windowStart: '2026-05-01',
        windowEnd: '2026-01-01',
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /id="champ-name-erreur">Donnez un nom à l’édition/);
      assert.match(res.body, /La fin de la fenêtre doit suivre son début/);
      assert.equal((await t.db.query('SELECT count(*) AS n FROM obs_editions')).rows[0].n, 0);
    });

    test('draft → preview of the whole table → publish on the server → correction shown publicly', async () => {
      await admin.get('/observatoire/admin');
      const created = await admin.post('/observatoire/admin/editions', {
        name: 'Automne',
        period: 'T3 2026',
        windowStart: '2026-07-01',
        windowEnd: '2026-09-30',
      });
      assert.equal(created.statusCode, 303);
      const url = String(created.headers.location);
      const preview = await admin.get(url);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /Aperçu de l’édition « Automne » : 5\u00a0démarches/);
      assert.equal((await t.app.inject('/api/v1/editions')).json().items.length, 0, 'a draft is not public');
      // « Publier l’édition… » leads to the confirmation page, which says what will be frozen; a bare POST leads there too.
      assert.equal(String((await admin.post(`${url}/publier`)).headers.location), `${url}/publier`);
      assert.equal((await t.app.inject('/api/v1/editions')).json().items.length, 0);
      const confirmation = await admin.get(`${url}/publier`);
      assert.equal(confirmation.statusCode, 200);
      assert.match(confirmation.body, /La publication fige/);
      assert.match(confirmation.body, /5\u00a0démarches du périmètre × 13\u00a0indicateurs/);
      assert.match(confirmation.body, /les niveaux selon les règles version 1/);
      assert.match(confirmation.body, /Aucune édition n’a encore été publiée/);
      const published = await admin.post(`${url}/publier`, { confirmation: 'oui' });
      assert.equal(published.statusCode, 303);
      assert.equal((await t.app.inject('/api/v1/editions')).json().items[0].name, 'Automne');
      const again = await admin.post(`${url}/publier`, { confirmation: 'oui' });
      assert.equal(again.statusCode, 400);

      await admin.get(url);
      const bad = await admin.post(`${url}/corriger`, { stableId: 'T-404', indicator: 'satisfaction', value: '9', reason: '' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /le motif est publié/);
      const ok = await admin.post(`${url}/corriger`, {
        stableId: 'T-4',
        indicator: 'satisfaction',
        value: '9',
        reason: 'Avis en double retirés',
      });
      assert.equal(ok.statusCode, 303);
      const page = await t.app.inject(`/observatoire/editions/${url.split('/').pop()}`);
      assert.match(page.body, /Motif : Avis en double retirés/);
      assert.match(page.body, /<td>Moyen \(5\)<\/td><td>Très bien \(9\)<\/td>/);
      const { rows } = await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'obs_edition' ORDER BY id`);
      assert.deepEqual(
        rows.map((r) => r.action),
        ['observatoire.edition.create', 'observatoire.edition.publish', 'observatoire.edition.correct'],
      );
    });

    test('a draft’s name, period and window can be changed; bad dates are refused next to the field', async () => {
      await admin.get('/observatoire/admin');
      const url = String(
        (
          await admin.post('/observatoire/admin/editions', {
            name: 'Brouillon',
            period: 'T1',
            windowStart: '2026-01-01',
            windowEnd: '2026-03-31',
          })
        ).headers.location,
      );
      await admin.get(url);
      const bad = await admin.post(`${url}/modifier`, { name: 'Hiver', period: 'T1', windowStart: '2026-13-45', windowEnd: '2026-03-31' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="champ-windowStart-erreur">Date invalide/);
      const ok = await admin.post(`${url}/modifier`, {
        name: 'Hiver 2026',
        period: 'T1 2026',
        windowStart: '2026-01-01',
        windowEnd: '2026-02-28',
      });
      assert.equal(ok.statusCode, 303);
      const page = await admin.get(url);
      assert.match(page.body, /<h1>Brouillon : Hiver 2026<\/h1>/);
      assert.match(page.body, /au 28 février 2026/);
      await admin.post(`${url}/supprimer`);
    });

    test('a draft can be deleted, a published edition cannot', async () => {
      await admin.get('/observatoire/admin');
      const created = await admin.post('/observatoire/admin/editions', {
        name: 'Jetable',
        period: 'T4',
        windowStart: '2026-10-01',
        windowEnd: '2026-12-31',
      });
      const url = String(created.headers.location);
      await admin.get(url);
      assert.equal((await admin.post(`${url}/supprimer`)).statusCode, 303);
      assert.equal((await admin.get(url)).statusCode, 404);
      const { rows } = await t.db.query(`SELECT id FROM obs_editions WHERE status = 'published'`);
      await admin.get(`/observatoire/admin/editions/${rows[0].id}`);
      assert.equal((await admin.post(`/observatoire/admin/editions/${rows[0].id}/supprimer`)).statusCode, 400);
    });
  });
}
