/**
 * The accessibility API's real answers, read with the response schemas its OpenAPI document is generated from: each
 * answer parses, and parsing keeps every key (a key the schema does not declare would be dropped: the document would
 * hide part of the answer). Bad ids are 404 problems; the document lists the five paths with their schemas.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { MODULES } from '../app.ts';
import { auditSummary, declaration, declarationList, plan, problem, roadmap } from './api.ts';

/** Parses an answer with its schema and checks that nothing was left undeclared. */
function typed(schema: z.ZodType, body: unknown, what: string): void {
  const parsed = schema.safeParse(body);
  assert.ok(parsed.success, `${what}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  assert.deepEqual(parsed.data, body, `${what}: every key of the answer is declared by its schema`);
}

for (const target of TEST_TARGETS) {
  describe(`accessibility API answers match their schemas (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
      await MODULES.find((m) => m.name === 'catalog')!.seedDemo!(t.deps);
      await MODULES.find((m) => m.name === 'accessibility')!.seedDemo!(t.deps);
    });
    after(() => t?.close());

    test('declarations, one declaration, an audit summary, a plan and a roadmap of the demo', async () => {
      const list = await t.app.inject('/api/v1/accessibility/declarations');
      assert.equal(list.statusCode, 200);
      typed(declarationList, list.json(), 'list');
      assert.ok(list.json().items.length >= 1);
      for (const item of list.json().items) {
        const one = await t.app.inject(`/api/v1/accessibility/declarations/${encodeURIComponent(item.procedure)}`);
        assert.equal(one.statusCode, 200);
        typed(declaration, one.json(), `declaration ${item.procedure}`);
        const auditId = one.json().declaration.audit.id;
        const audit = await t.app.inject(`/api/v1/accessibility/audits/${auditId}`);
        assert.equal(audit.statusCode, 200);
        typed(auditSummary, audit.json(), `audit ${auditId}`);
      }
      const { rows: plans } = await t.db.query(`SELECT id FROM accessibility_plans WHERE published_at IS NOT NULL ORDER BY id`);
      assert.ok(plans.length >= 1, 'the demo publishes a plan');
      for (const { id } of plans) {
        const res = await t.app.inject(`/api/v1/accessibility/plans/${id}`);
        assert.equal(res.statusCode, 200);
        typed(plan, res.json(), `plan ${id}`);
        assert.ok(res.json().actions.length > 0);
      }
      const { rows: roads } = await t.db.query(
        `SELECT p.stable_id FROM accessibility_roadmaps r JOIN procedures p ON p.id = r.procedure_id ORDER BY p.id`,
      );
      assert.ok(roads.length >= 1);
      for (const { stable_id } of roads) {
        const res = await t.app.inject(`/api/v1/accessibility/roadmaps/${encodeURIComponent(stable_id)}`);
        assert.equal(res.statusCode, 200);
        typed(roadmap, res.json(), `roadmap ${stable_id}`);
      }
    });

    test('an id that is not one, or names nothing published: a 404 problem, as its schema says', async () => {
      for (const url of [
        '/api/v1/accessibility/audits/abc',
        '/api/v1/accessibility/audits/0',
        '/api/v1/accessibility/audits/999999',
        '/api/v1/accessibility/plans/-1',
        '/api/v1/accessibility/plans/999999',
        '/api/v1/accessibility/roadmaps/INCONNUE',
        '/api/v1/accessibility/declarations/INCONNUE',
      ]) {
        const res = await t.app.inject(url);
        assert.equal(res.statusCode, 404, url);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/, url);
        assert.ok(problem.safeParse(res.json()).success, url);
      }
    });

    test('the OpenAPI document has the five paths, generated with their summaries and answer schemas', async () => {
      const doc = (await t.app.inject('/api/openapi.json')).json();
      const paths = [
        '/api/v1/accessibility/declarations',
        '/api/v1/accessibility/declarations/{stableId}',
        '/api/v1/accessibility/audits/{id}',
        '/api/v1/accessibility/plans/{id}',
        '/api/v1/accessibility/roadmaps/{stableId}',
      ];
      for (const path of paths) {
        const op = doc.paths[path]?.get;
        assert.ok(op, path);
        assert.equal(op.tags[0], 'Accessibilité', path);
        assert.ok(op.responses['200'].content['application/json'].schema, path);
        assert.equal(op.security, undefined, `${path} is public`);
      }
      const audit = doc.paths['/api/v1/accessibility/audits/{id}'].get;
      assert.deepEqual(
        audit.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]),
        [['id', 'path', true]],
      );
      // The answer's rows are typed: the plan's actions list their fields, not « object ».
      const planSchema = doc.paths['/api/v1/accessibility/plans/{id}'].get.responses['200'].content['application/json'].schema;
      assert.deepEqual(Object.keys(planSchema.properties.actions.items.properties).sort(), [
        'dueOn',
        'id',
        'kind',
        'owner',
        'procedureId',
        'procedureTitle',
        'result',
        'startsOn',
        'status',
        'title',
        'year',
      ]);
    });
  });
}
