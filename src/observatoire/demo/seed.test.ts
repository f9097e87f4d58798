import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedDemo } from '../../demo/seed.ts';
import { seedObservatoireDemo } from './seed.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire demo data (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
      await seedDemo(t.deps);
    });
    after(async () => t.close());

    test('three published editions and a draft, on a calendar relative to the load day; every procedure in scope is in each edition', async () => {
      const editions = (await t.app.inject('/api/v1/editions')).json().items;
      assert.equal(editions.length, 3);
      const { rows } = await t.db.query(`SELECT count(*) AS n FROM procedures WHERE in_scope AND archived_at IS NULL`);
      const page = (await t.app.inject('/api/v1/editions/latest/procedures?par_page=1')).json();
      assert.equal(page.total, rows[0].n);
      assert.equal((await t.db.query(`SELECT count(*) AS n FROM obs_editions WHERE status = 'draft'`)).rows[0].n, 1);
      // Every published window is closed; the draft's window (the current quarter) is still open.
      const { rows: windows } = await t.db.query(
        `SELECT status, window_end::text AS end, window_end < current_date AS closed FROM obs_editions ORDER BY window_end`,
      );
      assert.deepEqual(
        windows.map((w) => [w.status, w.closed]),
        [
          ['published', true],
          ['published', true],
          ['published', true],
          ['draft', false],
        ],
      );
    });

    test('the demo shows every level colour and movement between editions', async () => {
      const { rows } = await t.db.query(`SELECT DISTINCT colour FROM obs_edition_values ORDER BY colour`);
      assert.deepEqual(
        rows.map((r) => r.colour),
        ['blue', 'gray', 'green', 'red', 'yellow'],
      );
      const compare = await t.app.inject('/observatoire/comparaison');
      assert.match(compare.body, /<th scope="row">Satisfaction usagers<\/th><td>[1-9]\d*<\/td>/);
    });

    test('seeding again changes nothing', async () => {
      assert.deepEqual(await seedObservatoireDemo(t.db, '2026-12-03'), { editions: 0 });
      assert.equal((await t.app.inject('/api/v1/editions')).json().items.length, 3);
    });

    test('the public pages answer with the demo data', async () => {
      for (const url of [
        '/observatoire',
        '/observatoire/tableaux-de-bord',
        '/observatoire/editions',
        '/observatoire/aide',
        '/observatoire/aide/indicateurs',
        '/api/docs',
      ]) {
        assert.equal((await t.app.inject(url)).statusCode, 200, url);
      }
      const first = (await t.app.inject('/api/v1/editions/latest/procedures?par_page=1')).json().items[0];
      assert.equal((await t.app.inject(`/observatoire/demarches/${first.stableId}`)).statusCode, 200);
    });
  });
}
