import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { makeCatalog, setLiveValues, type Fixture } from '../test-fixtures.ts';
import { createDraft, getEdition } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { bumpPublicCache } from '../cache/public-cache.ts';
import { loadIndicators } from '../rules/repository.ts';
import { parseTableQuery, tableQueryString } from '../table/filters.ts';
import { tablePage } from '../table/query.ts';
import { editionOut, rowOut } from './serialize.ts';
import { proceduresPageText } from './procedures-page.ts';

/** Raw values whose JSON form is delicate: decimal commas, spaces (NBSP, narrow NBSP), zeros, text, long or tiny numbers. */
const SIMPLE = ['7,5', ' 12 ', '1\u00a0234,50', '1\u202f000', '-0', '007.250', '0.000001', '123000000000000000000', '1e5', 'abc', '-3', '0,0'];
const NOT_SIMPLE = ['0.0000001', '1234567890123456789', '1000000000000000000000', '0.1000000000000000055511151231257827'];

for (const target of TEST_TARGETS) {
  describe(`API procedure list serialised by SQL (${target})`, () => {
    let t: TestApp;
    let f: Fixture;
    let edition: number;
    before(async () => {
      t = await createTestApp(target);
      f = await makeCatalog(t.db, SIMPLE.length);
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9, 2, 'avis_insuffisants', 8, 5, 7, 3, 10, 1, 6]);
      edition = await createDraft(t.db, { name: 'Hiver', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
      await publishEdition(t.db, edition, null, null, new Date('2026-04-01T08:00:00Z'));
      // Values written as a correction could write them: any text, in a numeric and in a category indicator.
      for (const [i, raw] of SIMPLE.entries()) {
        await t.db.query(`UPDATE obs_edition_values SET raw_value = $1 WHERE edition_id = $2 AND procedure_id = $3 AND indicator IN ('usage', 'online')`, [raw, edition, f.procedures[i]]);
      }
      await t.db.query(`UPDATE obs_edition_values SET raw_value = NULL WHERE edition_id = $1 AND procedure_id = $2 AND indicator = 'uptime'`, [edition, f.procedures[0]]);
      await t.db.query(`DELETE FROM obs_edition_values WHERE edition_id = $1 AND procedure_id = $2 AND indicator = 'dlnuf'`, [edition, f.procedures[1]]);
      bumpPublicCache(t.db);
    });
    after(async () => t.close());

    /** The body the JavaScript serialisation gives (the reference), as the route wrote it before. */
    async function reference(id: number, url: string): Promise<string> {
      const defs = await loadIndicators(t.db);
      const { query } = parseTableQuery(Object.fromEntries(new URL(url, 'http://x').searchParams), defs.map((d) => d.slug));
      const page = await tablePage(t.db, id, query);
      const base = url.split('?')[0];
      const pages = Math.ceil(page.total / query.perPage);
      return JSON.stringify({
        edition: editionOut((await getEdition(t.db, id))!),
        total: page.total,
        page: query.page,
        perPage: query.perPage,
        items: page.rows.map((r) => rowOut(defs, r)),
        links: {
          self: `${base}${tableQueryString(query)}`,
          next: query.page < pages ? `${base}${tableQueryString(query, { page: query.page + 1 })}` : null,
          prev: query.page > 1 ? `${base}${tableQueryString(query, { page: query.page - 1 })}` : null,
        },
      });
    }

    test('the body is byte for byte the JavaScript serialisation, numbers, spaces, missing and empty cells included', async () => {
      for (const url of [
        `/api/v1/editions/latest/procedures?tri=usage&ordre=desc&par_page=50`,
        `/api/v1/editions/${edition}/procedures?tri=satisfaction&par_page=5&page=2&ministere=${f.ministries[0]}`,
        `/api/v1/editions/${edition}/procedures?page=9`,
        `/api/v1/editions/${edition}/procedures?q=introuvable`,
      ]) {
        const res = await t.app.inject(url);
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.body, await reference(edition, url), url);
      }
      const body = (await t.app.inject(`/api/v1/editions/${edition}/procedures?par_page=50`)).json();
      const usage = Object.fromEntries(body.items.map((i: any) => [i.stableId, i.indicators.usage.value]));
      assert.equal(usage['T-1'], 7.5);
      assert.equal(usage['T-3'], 1234.5);
      assert.equal(usage['T-9'], '1e5');
      assert.equal(body.items.find((i: any) => i.stableId === 'T-1').indicators.online.value, '7,5');
      assert.equal(body.items.find((i: any) => i.stableId === 'T-2').indicators.dlnuf, null);
    });

    test('numbers JavaScript prints differently from their decimal form fall back to the JavaScript serialisation', async () => {
      const defs = await loadIndicators(t.db);
      const { query } = parseTableQuery({ par_page: '50' }, defs.map((d) => d.slug));
      assert.notEqual((await proceduresPageText(t.db, edition, query))!.itemsJson, null);
      for (const raw of NOT_SIMPLE) {
        await t.db.query(`UPDATE obs_edition_values SET raw_value = $1 WHERE edition_id = $2 AND procedure_id = $3 AND indicator = 'usage'`, [raw, edition, f.procedures[0]]);
        bumpPublicCache(t.db);
        assert.equal((await proceduresPageText(t.db, edition, query))!.itemsJson, null, raw);
        const url = `/api/v1/editions/${edition}/procedures?par_page=50`;
        const res = await t.app.inject(url);
        assert.equal(res.body, await reference(edition, url), raw);
      }
    });

    test('an unknown or unpublished edition is a 404, checked before the parameters', async () => {
      const draft = await createDraft(t.db, { name: 'Brouillon', period: 'T2', windowStart: '2026-04-01', windowEnd: '2026-06-30' }, null);
      for (const url of [`/api/v1/editions/${draft}/procedures`, '/api/v1/editions/999999/procedures?tri=nimporte', '/api/v1/editions/abc/procedures']) {
        const res = await t.app.inject(url);
        assert.equal(res.statusCode, 404, url);
        assert.equal(res.json().title, 'Édition introuvable');
      }
      assert.equal((await t.app.inject(`/api/v1/editions/${edition}/procedures?tri=nimporte`)).statusCode, 400);
    });
  });
}
