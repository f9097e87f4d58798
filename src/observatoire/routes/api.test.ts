import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { correctEdition } from '../editions/correct.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';
import type { z } from 'zod';
import * as S from '../api/schemas.ts';

/** Parses an answer with its response schema and checks that nothing was left undeclared (parsing drops unknown keys). */
function typed(schema: z.ZodType, body: unknown, what: string): void {
  const parsed = schema.safeParse(body);
  assert.ok(parsed.success, `${what}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  assert.deepEqual(parsed.data, body, `${what}: every key of the answer is declared by its schema`);
}

for (const target of TEST_TARGETS) {
  describe(`observatoire public API (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let first: number;
    let second: number;
    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 10 });
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9, 2, 'avis_insuffisants', 8, 5, 7, 3, 10, 1, 6]);
      first = await createDraft(t.db, { name: 'Hiver', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
      await publishEdition(t.db, first, null, null, new Date('2026-04-01T08:00:00Z'));
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
      second = await createDraft(t.db, { name: 'Printemps', period: 'T2', windowStart: '2026-04-01', windowEnd: '2026-06-30' }, null);
      await publishEdition(t.db, second, null, null, new Date('2026-07-01T08:00:00Z'));
    });
    after(async () => t.close());

    test('editions are listed newest first', async () => {
      const res = await t.app.inject('/api/v1/editions');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(
        res.json().items.map((e: any) => e.name),
        ['Printemps', 'Hiver'],
      );
      assert.equal(res.json().items[0].ruleSetVersion, 1);
    });

    test('the procedure list filters, sorts and paginates like the page, with raw values and labels', async () => {
      const res = await t.app.inject(
        `/api/v1/editions/${first}/procedures?tri=satisfaction&ordre=desc&par_page=3&administration=${f.administrations[1]}`,
      );
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.total, 5);
      assert.deepEqual(
        body.items.map((i: any) => i.indicators.satisfaction.value),
        [9, 5, 3],
      );
      assert.deepEqual(body.items[0].indicators.satisfaction, {
        value: 9,
        label: 'Très bien',
        colour: 'green',
        goalReached: true,
        enteredByHand: false,
      });
      assert.match(body.links.next, /page=2/);
      assert.equal(body.links.prev, null);
      const latest = (await t.app.inject('/api/v1/editions/latest/procedures?q=0003')).json();
      assert.equal(latest.edition.id, second);
      assert.equal(latest.items[0].indicators.satisfaction.value, 9);
    });

    test('public responses carry an ETag and Cache-Control; a matching If-None-Match gets 304', async () => {
      const res = await t.app.inject('/api/v1/indicators');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['cache-control']), /public, max-age=\d+/);
      const etag = String(res.headers.etag);
      assert.ok(etag.startsWith('"'));
      const again = await t.app.inject({ url: '/api/v1/indicators', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      assert.equal(res.json().items.length, 13); // with « Contacts pour 1 000 démarches » (support)
      assert.equal(res.json().items.find((i: any) => i.slug === 'satisfaction').rules.levels[0].from, 8);
    });

    test('errors are JSON problem details', async () => {
      const bad = await t.app.inject(`/api/v1/editions/${first}/procedures?par_page=1000&niveau=rose&indicateur=satisfaction`);
      assert.equal(bad.statusCode, 400);
      assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
      assert.equal(bad.json().status, 400);
      assert.ok(bad.json().errors.par_page);
      assert.ok(bad.json().errors.niveau);
      const missing = await t.app.inject('/api/v1/editions/99999');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().title, 'Édition introuvable');
    });

    test('scorecards give the score, the national goal and the delta in points since the previous edition', async () => {
      const body = (await t.app.inject(`/api/v1/editions/${second}/scorecards`)).json();
      assert.equal(body.previousEdition.id, first);
      const s = body.items[0].indicators.satisfaction;
      // first edition: online procedures (not 4, 8) measured 1,2,5,6,7,9,10 → goal reached by 1 only → 1/7
      assert.equal(s.scorePercent, 100);
      assert.equal(s.nationalGoalPercent, 80);
      assert.ok(Math.abs(s.deltaPoints - (100 - 100 / 7)) < 1e-9);
      const byMinistry = (await t.app.inject(`/api/v1/editions/${second}/scorecards?groupe=ministere`)).json();
      assert.equal(byMinistry.items.length, 2);
      assert.equal((await t.app.inject(`/api/v1/editions/${second}/scorecards?groupe=region`)).statusCode, 400);
      const byCategory = (await t.app.inject(`/api/v1/editions/${second}/scorecards?groupe=categorie`)).json();
      assert.deepEqual(byCategory.items.map((g: any) => g.id).sort(), ['particuliers', 'professionnels']);
    });

    test('history follows the stable id across editions, with corrections applied', async () => {
      await t.db.query(`INSERT INTO users (email) VALUES ('pilote@exemple.gouv.fr')`);
      const { rows } = await t.db.query(`SELECT id FROM users WHERE email = 'pilote@exemple.gouv.fr'`);
      await t.db.query(`UPDATE procedures SET title = 'Nouveau titre' WHERE id = $1`, [f.procedures[1]]);
      await correctEdition(t.db, first, [{ procedureId: f.procedures[1], indicator: 'satisfaction', value: '4' }], 'Erreur de saisie', {
        id: Number(rows[0].id),
        email: 'pilote@exemple.gouv.fr',
      });
      const body = (await t.app.inject('/api/v1/procedures/T-2/history')).json();
      assert.deepEqual(
        body.items.map((i: any) => i.edition.name),
        ['Hiver', 'Printemps'],
      );
      assert.deepEqual(
        body.items.map((i: any) => i.indicators.satisfaction.value),
        [4, 9],
      );
      assert.equal((await t.app.inject('/api/v1/procedures/inconnue/history')).statusCode, 404);
      const edition = (await t.app.inject(`/api/v1/editions/${first}`)).json();
      assert.equal(edition.revisions[0].reason, 'Erreur de saisie');
    });

    test('a repeated call is answered from memory without touching the database, and a correction shows at once', async () => {
      const url = `/api/v1/editions/${second}/procedures?q=0005`;
      // The clock stands still while counting: the cache reads the public version again once its check interval has
      // passed, and on a loaded machine that can happen between the two requests (one query more, seen once).
      mock.timers.enable({ apis: ['Date'], now: Date.now() });
      let first: Awaited<ReturnType<typeof t.app.inject>>;
      let again: Awaited<ReturnType<typeof t.app.inject>>;
      try {
        first = await t.app.inject(url);
        const count = t.db.queryCount;
        again = await t.app.inject(url);
        assert.equal(t.db.queryCount, count, 'no query for a cached answer');
      } finally {
        mock.timers.reset();
      }
      assert.equal(again.body, first.body);
      assert.equal(again.headers.etag, first.headers.etag);
      assert.equal((await t.app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } })).statusCode, 304);
      const { rows } = await t.db.query(`SELECT id FROM users WHERE email = 'pilote@exemple.gouv.fr'`);
      await correctEdition(t.db, second, [{ procedureId: f.procedures[4], indicator: 'satisfaction', value: '1' }], 'Test', {
        id: Number(rows[0].id),
        email: 'pilote@exemple.gouv.fr',
      });
      const after = (await t.app.inject(url)).json();
      assert.equal(after.items[0].indicators.satisfaction.value, 1);
    });

    test('rule sets are listed and readable by version', async () => {
      assert.deepEqual(
        (await t.app.inject('/api/v1/rule-sets')).json().items.map((r: any) => r.version),
        [1],
      );
      assert.equal((await t.app.inject('/api/v1/rule-sets/1')).json().indicators.uptime.levels[0].from, 99.9);
      assert.equal((await t.app.inject('/api/v1/rule-sets/7')).statusCode, 404);
    });

    test('every answer parses with the response schema the document is generated from, every key declared', async () => {
      const answers: [string, z.ZodType][] = [
        ['/api/v1/editions', S.editionList],
        [`/api/v1/editions/${first}`, S.editionDetail],
        ['/api/v1/editions/latest', S.editionDetail],
        [`/api/v1/editions/${first}/procedures?par_page=200`, S.procedurePage],
        [`/api/v1/editions/${second}/procedures?tri=satisfaction&ordre=asc&page=2&par_page=3`, S.procedurePage],
        [`/api/v1/editions/${second}/scorecards`, S.scorecards],
        [`/api/v1/editions/${second}/scorecards?groupe=administration`, S.scorecards],
        [`/api/v1/editions/${second}/scorecards?groupe=categorie`, S.scorecards],
        [`/api/v1/editions/${second}/statistics`, S.statistics],
        [`/api/v1/comparisons?de=${first}&a=${second}`, S.comparison],
        ['/api/v1/indicators', S.indicatorList],
        ['/api/v1/rule-sets', S.ruleSetList],
        ['/api/v1/rule-sets/1', S.ruleSet],
        ['/api/v1/procedures/T-1/history', S.history],
      ];
      for (const [url, schema] of answers) {
        const res = await t.app.inject(url);
        assert.equal(res.statusCode, 200, url);
        typed(schema, res.json(), url);
      }
      // Problems too: a bad query names its parameter, a malformed id is the same 404 as an unknown one.
      for (const [url, status, title] of [
        [`/api/v1/editions/${first}/procedures?niveau=rose&indicateur=satisfaction`, 400, 'Paramètres invalides'],
        [`/api/v1/editions/${second}/scorecards?groupe=region`, 400, 'Paramètre invalide'],
        ['/api/v1/comparisons?de=latest', 400, 'Paramètre invalide'],
        ['/api/v1/editions/abc', 404, 'Édition introuvable'],
        ['/api/v1/editions/0/procedures', 404, 'Édition introuvable'],
        ['/api/v1/rule-sets/v1', 404, 'Version introuvable'],
      ] as const) {
        const res = await t.app.inject(url);
        assert.equal(res.statusCode, status, url);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/, url);
        typed(S.problem, res.json(), url);
        assert.equal(res.json().title, title, url);
      }
      assert.match(
        (await t.app.inject(`/api/v1/editions/${second}/scorecards?groupe=region`)).json().detail,
        /groupe : national, ministere, administration ou categorie\./,
      );
    });

    test('the OpenAPI document describes every path and the docs page lists them', async () => {
      const doc = (await t.app.inject('/api/openapi.json')).json();
      assert.equal(doc.openapi, '3.1.0');
      for (const p of [
        '/api/v1/editions',
        '/api/v1/editions/{id}',
        '/api/v1/editions/{id}/procedures',
        '/api/v1/editions/{id}/scorecards',
        '/api/v1/editions/{id}/statistics',
        '/api/v1/comparisons',
        '/api/v1/indicators',
        '/api/v1/rule-sets',
        '/api/v1/rule-sets/{version}',
        '/api/v1/procedures/{stableId}/history',
      ]) {
        assert.ok(doc.paths[p]?.get, p);
        assert.deepEqual(doc.paths[p].get.tags, ['Observatoire'], p);
        assert.equal(doc.paths[p].get.security, undefined, `${p} is public`);
      }
      // Generated from the route schemas: the parameters with their descriptions and codes, the rows typed.
      const list = doc.paths['/api/v1/editions/{id}/procedures'].get;
      const params = Object.fromEntries(list.parameters.map((p: { name: string; in: string; schema: { enum?: string[] } }) => [p.name, p]));
      assert.equal(params.id.in, 'path');
      assert.deepEqual(params.niveau.schema.enum, ['green', 'yellow', 'red', 'blue', 'gray']);
      assert.deepEqual(params.ordre.schema.enum, ['asc', 'desc']);
      const row = list.responses['200'].content['application/json'].schema.properties.items.items;
      assert.deepEqual(Object.keys(row.properties).sort(), [
        'administration',
        'indicators',
        'ministry',
        'stableId',
        'title',
        'url',
        'userCategories',
      ]);
      const refs = (JSON.stringify(doc).match(/#\/components\/schemas\/(\w+)/g) ?? []).map((r) => r.split('/').pop()!);
      for (const r of refs) assert.ok(doc.components.schemas[r], `schema ${r}`);
      const page = await t.app.inject('/api/docs');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /GET \/api\/v1\/editions\/\{id\}\/procedures/);
    });
  });
}
