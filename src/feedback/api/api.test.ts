import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { formSeries, problem, procedureList, procedureSeries } from './schemas.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createTestUser } from '../../../test/helpers/users.ts';
import { createApiKey } from '../../kernel/auth/api-keys.ts';
import { insertForm } from '../forms/queries.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';

for (const target of TEST_TARGETS) {
  describe(`feedback API (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let key: string;
    let otherForm: number;
    const get = (url: string, k = key) => t.app.inject({ method: 'GET', url, headers: k ? { authorization: `Bearer ${k}` } : {} });

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'api');
      otherForm = await insertForm(t.db, { procedureId: f.catalog.procedures[1], template: 'default', name: 'Autre' }, null);
      await new Visitor(t.app, '10.5.0.1').start(f.button.publicKey, { satisfaction: 'good' });
      await new Visitor(t.app, '10.5.0.2').start(f.button.publicKey, { satisfaction: 'medium' });
      const userId = await createTestUser(t.db, 'api@exemple.gouv.fr', [
        { role: 'procedure_reader', procedureId: f.catalog.procedures[0] },
      ]);
      key = (await createApiKey(t.db, userId, 'tableau de bord interne')).key;
    });
    after(async () => t.close());

    test('refuses calls without a valid key', async () => {
      const res = await get('/api/v1/feedback/procedures', '');
      assert.equal(res.statusCode, 401);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal((await get('/api/v1/feedback/procedures', 'vigie_inconnue')).statusCode, 401);
    });

    test('lists the procedures and forms of the key owner’s scope only, and counts the calls', async () => {
      const res = await get('/api/v1/feedback/procedures');
      assert.equal(res.statusCode, 200);
      const body = res.json();
      procedureList.parse(body); // the answer is what the generated OpenAPI document says
      assert.deepEqual(
        body.items.map((i: any) => i.id),
        [f.catalog.procedures[0]],
      );
      assert.equal(body.items[0].forms[0].id, f.formId);
      const { rows } = await t.db.query('SELECT call_count FROM api_keys');
      assert.ok(Number(rows[0].call_count) >= 1);
    });

    test('indicators and counts by interval', async () => {
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const range = `debut=${day(-40)}&fin=${day(1)}`;
      const none = (await get(`/api/v1/feedback/procedures/${f.catalog.procedures[0]}/indicators`)).json();
      procedureSeries.parse(none);
      assert.equal(none.interval, 'none');
      assert.equal(none.points.length, 1);
      assert.equal(none.points[0].reviews, 2);
      assert.equal(none.points[0].satisfaction, 7.5);
      const daily = (await get(`/api/v1/feedback/forms/${f.formId}/indicators?intervalle=day&${range}`)).json();
      formSeries.parse(daily);
      assert.equal(daily.points.length, 1);
      assert.match(daily.points[0].start, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(daily.points[0].reviews, 2);
      const monthly = (await get(`/api/v1/feedback/forms/${f.formId}/indicators?intervalle=month&${range}`)).json();
      assert.match(monthly.points[0].start, /-01$/);
      const year = await get(`/api/v1/feedback/forms/${f.formId}/indicators?intervalle=year`);
      assert.equal(year.statusCode, 400);
      assert.match(String(year.headers['content-type']), /^application\/problem\+json/);
      assert.equal(year.json().detail, 'intervalle : day, week, month ou none.');
      problem.parse(year.json());
      // API clients are told the ISO format of the document (the back-office's forms say jj/mm/aaaa).
      const slashes = await get(`/api/v1/feedback/forms/${f.formId}/indicators?debut=01/01/2026&fin=31/03/2026`);
      assert.equal(slashes.statusCode, 400);
      assert.match(slashes.json().detail, /AAAA-MM-JJ/);
      assert.equal((await get(`/api/v1/feedback/forms/${otherForm}/indicators`)).statusCode, 403);
      assert.equal((await get(`/api/v1/feedback/procedures/${f.catalog.procedures[1]}/indicators`)).statusCode, 403);
      assert.equal((await get('/api/v1/feedback/forms/999999/indicators')).statusCode, 404);
    });

    test('the paths are in the OpenAPI document', async () => {
      const doc = (await t.app.inject('/api/openapi.json')).json();
      for (const path of [
        '/api/v1/feedback/procedures',
        '/api/v1/feedback/procedures/{id}/indicators',
        '/api/v1/feedback/forms/{id}/indicators',
      ]) {
        assert.ok(doc.paths[path]?.get, path);
      }
      // Generated from the route schemas: the query parameters and the answer's fields are those the route validates and returns.
      const op = doc.paths['/api/v1/feedback/forms/{id}/indicators'].get;
      assert.deepEqual(op.parameters.map((p: any) => `${p.in}:${p.name}`).sort(), [
        'path:id',
        'query:debut',
        'query:fin',
        'query:intervalle',
      ]);
      assert.deepEqual(op.parameters.find((p: any) => p.name === 'intervalle').schema.enum, ['day', 'week', 'month', 'none']);
      const point = op.responses['200'].content['application/json'].schema.properties.points.items;
      assert.ok(['satisfaction', 'clarity', 'helpReachable', 'helpEfficient', 'autonomy', 'intervals'].every((k) => k in point.properties));
      assert.deepEqual(Object.keys(op.responses).sort(), ['200', '400', '401', '403', '404']);
      assert.deepEqual(op.security, [{ cleApi: [] }]);
    });
  });
}
