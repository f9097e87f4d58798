import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedCatalogDemo } from '../../catalog/index.ts';
import { indicatorsBy } from '../analytics/indicators.ts';
import { createFeedbackFixture, Visitor } from '../testing.ts';
import { rebuildRollups, seedFeedbackDemo } from './seed.ts';

async function rollups(t: TestApp, formId: number): Promise<string> {
  const { rows } = await t.db.query(
    `SELECT day, button_id, question, option_id, sum(count)::int AS count FROM feedback_rollups WHERE form_id = $1
      GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4`,
    [formId],
  );
  return JSON.stringify(rows);
}

for (const target of TEST_TARGETS) {
  describe(`feedback demo data and rollups (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
    });
    after(async () => t.close());

    test('rollups kept up to date answer by answer equal the rollups rebuilt from the raw answers', async () => {
      const f = await createFeedbackFixture(t.db, 'roll');
      const a = new Visitor(t.app, '10.6.0.1');
      const s1 = await a.start(f.button.publicKey, { satisfaction: 'good' });
      await a.start(f.button.publicKey, { satisfaction: 'bad' }); // returning visitor changes their mind
      const s2 = await a.step(String(s1.headers.location), { clarity: 'good', action: 'next' });
      await a.step(String(s2.headers.location), { help_tried: 'none', action: 'next' });
      await a.step(String(s1.headers.location).replace('/etape/2', '/etape/4'), { verbatim: 'ok', action: 'next' });
      await new Visitor(t.app, '10.6.0.2').start(f.button.publicKey, { satisfaction: 'medium' });
      const incremental = await rollups(t, f.formId);
      await t.db.transaction((tx) => rebuildRollups(tx, [f.formId]));
      assert.equal(await rollups(t, f.formId), incremental);
    });

    test('the demo seed gives forms with reviews over the past year, some below the minimum; it runs once', async () => {
      await seedCatalogDemo(t.db);
      await seedFeedbackDemo(t.db, 12);
      await seedFeedbackDemo(t.db, 12);
      const { rows } = await t.db.query('SELECT procedure_id FROM feedback_forms WHERE is_demo');
      assert.equal(rows.length, 12);
      const end = new Date().toISOString().slice(0, 10);
      const ind = await indicatorsBy(
        t.db,
        'procedure',
        rows.map((r) => Number(r.procedure_id)),
        { start: '2000-01-01', end },
      );
      const values = [...ind.values()];
      assert.ok(values.every((v) => v.reviews > 0 && v.satisfaction !== null && v.satisfaction >= 0 && v.satisfaction <= 10));
      assert.ok(values.some((v) => v.reviews < 100) && values.some((v) => v.reviews >= 100));
    });
  });
}
