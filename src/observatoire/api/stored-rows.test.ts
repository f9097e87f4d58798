import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { etagOf } from '../../kernel/web/openapi.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft, getEdition } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { correctEdition } from '../editions/correct.ts';
import { forgetIndicators, loadIndicators, loadRuleSet, saveRuleSet } from '../rules/repository.ts';
import { parseTableQuery } from '../table/filters.ts';
import { bumpPublicCache } from '../cache/public-cache.ts';
import { liveListBody } from '../routes/api.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire API list rows rendered at publication (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let edition: number;
    let draft: number;
    let pilot: { id: number; email: string };

    /** The answer of the live path (cells read and serialised at every call) for this URL of the edition. */
    async function live(search: string): Promise<string> {
      const e = (await getEdition(t.db, edition))!;
      const defs = await loadIndicators(t.db);
      const { query, errors } = parseTableQuery(
        Object.fromEntries(new URLSearchParams(search)),
        defs.map((d) => d.slug),
      );
      assert.deepEqual(errors, {});
      return JSON.stringify(await liveListBody(t.db, e, defs, query, `/api/v1/editions/${edition}/procedures`));
    }

    async function api(search: string) {
      const res = await t.app.inject(`/api/v1/editions/${edition}/procedures?${search}`);
      assert.equal(res.statusCode, 200, res.body);
      return res;
    }

    async function storedRows(): Promise<Map<number, { json: string; defsKey: string }>> {
      const { rows } = await t.db.query('SELECT procedure_id, json, defs_key FROM obs_edition_rows WHERE edition_id = $1', [edition]);
      return new Map(rows.map((r) => [Number(r.procedure_id), { json: r.json, defsKey: r.defs_key }]));
    }

    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 12 });
      // Numbers, decimals, gray states, categories, an informative indicator and values out of bounds.
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9, 2.5, 'avis_insuffisants', 8, 5, '7,25', 3, 10, 1, 'a_venir', 6, 11]);
      await setLiveValues(t.db, f.procedures, 'performance', [120, 450.5, 900, 'a_venir', 0, 399.99, 800, 1200, 10, 20, 30, 40]);
      await setLiveValues(t.db, f.procedures, 'usage', [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 0, 5]);
      await setLiveValues(t.db, f.procedures, 'online', [
        'oui',
        'partiel',
        'non',
        'en_cours',
        'proactive',
        'oui',
        'inconnu',
        'oui',
        'non',
        'oui',
        'partiel',
        'oui',
      ]);
      // Labels with quotes and a backslash go through the rows' array columns unchanged.
      const rules = await loadRuleSet(t.db);
      rules.indicators.satisfaction.levels[1].label = 'Moyen "à revoir" \\ ok';
      await saveRuleSet(t.db, { grayLabels: rules.grayLabels, indicators: rules.indicators }, 'Libellé avec guillemets', null);
      edition = await createDraft(t.db, { name: 'Été', period: 'T3', windowStart: '2026-07-01', windowEnd: '2026-09-30' }, null);
      await publishEdition(t.db, edition, null, null, new Date('2026-10-01T08:00:00Z'));
      draft = await createDraft(t.db, { name: 'Automne', period: 'T4', windowStart: '2026-10-01', windowEnd: '2026-12-31' }, null);
      const { rows } = await t.db.query(`INSERT INTO users (email) VALUES ('pilote@exemple.gouv.fr') RETURNING id`);
      pilot = { id: Number(rows[0].id), email: 'pilote@exemple.gouv.fr' };
    });
    after(async () => t.close());

    const VIEWS = [
      '',
      'tri=satisfaction&ordre=desc',
      'tri=performance',
      'tri=usage&ordre=desc&par_page=5&page=2',
      'tri=online',
      'tri=ministere&ordre=desc',
      'ordre=desc&par_page=4&page=3',
      'q=ecologique',
      'categorie=particuliers&tri=satisfaction',
      'en_ligne=oui',
      'indicateur=satisfaction&niveau=green',
      'indicateur=online&niveau=gray&tri=satisfaction&ordre=desc',
      'par_page=5&page=9',
      'q=aucune-demarche',
    ];

    test('publication renders every row; each view answers the bytes (and ETag) of the live computation', async () => {
      assert.equal((await storedRows()).size, 12);
      const { rows: d } = await t.db.query('SELECT count(*)::int AS n FROM obs_edition_rows WHERE edition_id = $1', [draft]);
      assert.equal(d[0].n, 0, 'a draft has no stored rows (its preview is computed live)');
      const views = [
        ...VIEWS,
        `ministere=${f.ministries[1]}&tri=satisfaction&ordre=desc&par_page=3`,
        `administration=${f.administrations[0]}&tri=performance&ordre=desc`,
      ];
      for (const view of views) {
        const res = await api(view);
        const expected = await live(view);
        assert.equal(res.body, expected, view);
        assert.equal(res.headers.etag, etagOf(expected), view);
      }
      assert.ok(
        (await api('indicateur=satisfaction&niveau=yellow'))
          .json()
          .items.some((i: any) => i.indicators.satisfaction.label === 'Moyen "à revoir" \\ ok'),
      );
      const sorted = (await api('tri=satisfaction&ordre=desc')).json();
      assert.deepEqual(
        sorted.items.slice(0, 3).map((i: any) => i.indicators.satisfaction.value),
        [10, 9, 8],
      );
      assert.equal((await api('par_page=5&page=9')).json().total, 12);
    });

    test('a list call is one query once the edition is resolved, whatever the page size; a draft is not served', async () => {
      await api('par_page=2&tri=usage');
      let count = t.db.queryCount;
      await api('par_page=2&tri=usage&ordre=desc');
      assert.equal(t.db.queryCount - count, 1);
      count = t.db.queryCount;
      await api('par_page=12&tri=usage&ordre=desc');
      assert.equal(t.db.queryCount - count, 1);
      assert.equal((await t.app.inject(`/api/v1/editions/${draft}/procedures`)).statusCode, 404);
    });

    test('a correction re-renders its rows in its transaction and shows at once', async () => {
      const before = await storedRows();
      const target = f.procedures[3];
      await api('tri=satisfaction');
      await correctEdition(
        t.db,
        edition,
        [
          { procedureId: target, indicator: 'satisfaction', value: '2' },
          { procedureId: target, indicator: 'online', value: 'non' },
        ],
        'Erreur de saisie',
        pilot,
      );
      const after = await storedRows();
      assert.notEqual(after.get(target)!.json, before.get(target)!.json);
      for (const id of f.procedures) if (id !== target) assert.equal(after.get(id)!.json, before.get(id)!.json);
      const item = JSON.parse(after.get(target)!.json);
      assert.deepEqual(item.indicators.satisfaction, {
        value: 2,
        label: 'Pas bien',
        colour: 'red',
        goalReached: false,
        enteredByHand: false,
      });
      assert.equal(item.indicators.online.value, 'non');
      for (const view of ['tri=satisfaction', 'en_ligne=non', 'indicateur=satisfaction&niveau=red'])
        assert.equal((await api(view)).body, await live(view), view);
      assert.ok((await api('en_ligne=non')).json().items.some((i: any) => i.stableId === 'T-4'));
    });

    test('a correction that fails writes no row', async () => {
      const before = await storedRows();
      await assert.rejects(
        correctEdition(
          t.db,
          edition,
          [
            { procedureId: f.procedures[0], indicator: 'satisfaction', value: '1' },
            { procedureId: f.procedures[1], indicator: 'inconnu', value: '1' },
          ],
          'Essai',
          pilot,
        ),
      );
      assert.deepEqual(await storedRows(), before);
    });

    test('a new rule set version leaves a published edition’s rows and answers as they were', async () => {
      const body = (await api('tri=satisfaction')).body;
      const rules = await loadRuleSet(t.db);
      const changed = structuredClone(rules);
      changed.indicators.satisfaction.levels[0].label = 'Excellent';
      await saveRuleSet(
        t.db,
        { grayLabels: { ...changed.grayLabels, none: 'Sans mesure' }, indicators: changed.indicators },
        'Libellés',
        pilot.id,
      );
      bumpPublicCache(t.db);
      assert.equal((await api('tri=satisfaction')).body, body);
      assert.equal(body, await live('tri=satisfaction'));
      assert.doesNotMatch(body, /Excellent|Sans mesure/);
    });

    test('rows missing (published before this table) or rendered for other indicators are rendered again on first read', async () => {
      await t.db.query('DELETE FROM obs_edition_rows WHERE edition_id = $1', [edition]);
      bumpPublicCache(t.db);
      assert.equal((await api('tri=performance')).body, await live('tri=performance'));
      assert.equal((await storedRows()).size, 12);

      const before = (await api('')).body;
      const { rows } = await t.db.query(`SELECT slug, position FROM obs_indicators WHERE slug IN ('online', 'auth')`);
      const position = Object.fromEntries(rows.map((r) => [r.slug, r.position]));
      const swap = async (a: number, b: number) => {
        await t.db.query(
          `UPDATE obs_indicators SET position = CASE slug WHEN 'online' THEN $1::int ELSE $2::int END WHERE slug IN ('online', 'auth')`,
          [a, b],
        );
        forgetIndicators(t.db);
        bumpPublicCache(t.db);
      };
      try {
        await swap(position.auth, position.online);
        // The level filter and the sort read the rows' per-indicator columns, which follow the new order too.
        for (const view of ['indicateur=auth&niveau=red&tri=online', 'tri=auth&ordre=desc', 'indicateur=online&niveau=green']) {
          assert.equal((await api(view)).body, await live(view), view);
        }
        const after = (await api('')).body;
        assert.equal(after, await live(''));
        assert.notEqual(after, before);
        assert.ok(after.indexOf('"auth"') < after.indexOf('"online"'), 'indicators in their new order');
        const keys = new Set([...(await storedRows()).values()].map((r) => r.defsKey));
        assert.equal(keys.size, 1, 'every row rendered again, not only the page read');
      } finally {
        await swap(position.online, position.auth);
      }
      assert.equal((await api('')).body, before);
    });
  });
}
