import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { createFeedbackFixture } from '../../feedback/testing.ts';
import { rebuildRollups } from '../../feedback/index.ts';
import { dashboardHead } from '../../feedback/index.ts';
import { seedDemo } from '../../demo/seed.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';

/** The text of the dashboard's indicator line (« 6,3 / 10 », « 50,0 % »). */
function dashboardFigure(body: string, label: string): string {
  const m = new RegExp(`<th scope="row">${label}</th><td>([^<]*)</td>`).exec(body);
  assert.ok(m, `no line ${label}`);
  return m[1];
}

/** The value the procedure's observatoire page shows for an edition (history table of the indicator). */
function observatoireFigure(body: string, indicator: string, edition: string): string {
  const section = new RegExp(`id="historique-${indicator}"[\\s\\S]*?</section>`).exec(body)![0];
  const m = new RegExp(`<th scope="row">${edition}[^<]*</th><td>([^<]*)</td>`).exec(section);
  assert.ok(m, `no row ${edition} for ${indicator}`);
  return m[1];
}

for (const target of TEST_TARGETS) {
  describe(`an edition's feedback figures are the feedback dashboard's figures for its window (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(target);
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }], 'pilote-chiffres@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('computed by hand on four reviews', async () => {
      const f = await createFeedbackFixture(t.db, 'chiffres');
      const procedure = f.catalog.procedures[0];
      await t.db.query(`UPDATE procedures SET in_scope = true, online_status = 'oui' WHERE id = $1`, [procedure]);
      await t.db.query(
        `INSERT INTO app_settings (key, value) VALUES ('feedback_min_reviews', '3') ON CONFLICT (key) DO UPDATE SET value = '3'`,
      );
      // Four reviews in March 2026, one outside the window (April) that must not count.
      const reviews: [string, string, [string, string, string][]][] = [
        [
          '2026-03-02',
          'a',
          [
            ['satisfaction', '', 'good'],
            ['clarity', '', 'good'],
            ['help_tried', '', 'none'],
          ],
        ],
        [
          '2026-03-10',
          'b',
          [
            ['satisfaction', '', 'good'],
            ['clarity', '', 'very_good'],
            ['help_tried', '', 'phone'],
            ['help_reached', 'phone', 'yes'],
            ['help_quality', 'phone', 'good'],
          ],
        ],
        ['2026-03-20', 'c', [['satisfaction', '', 'medium']]],
        ['2026-03-31', 'd', [['satisfaction', '', 'bad']]],
        ['2026-04-01', 'e', [['satisfaction', '', 'bad']]],
      ];
      for (const [day, nonce, answers] of reviews) {
        const { rows } = await t.db.query(
          `INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day) VALUES ($1, 1, $2, $3, $4, $5) RETURNING id`,
          [f.formId, f.button.id, procedure, `chiffres-${nonce}`, day],
        );
        for (const [question, sub, option] of answers) {
          await t.db.query('INSERT INTO feedback_answers (day, review_id, question, sub, option_id) VALUES ($1, $2, $3, $4, $5)', [
            day,
            rows[0].id,
            question,
            sub,
            option,
          ]);
        }
      }
      await t.db.transaction((tx) => rebuildRollups(tx, [f.formId]));
      const edition = await createDraft(
        t.db,
        { name: 'Édition de test', period: '1er trimestre 2026', windowStart: '2026-01-01', windowEnd: '2026-03-31' },
        null,
      );
      await publishEdition(t.db, edition, null);

      const stableId = (await t.db.query('SELECT stable_id FROM procedures WHERE id = $1', [procedure])).rows[0].stable_id;
      const history = (await t.app.inject(`/api/v1/procedures/${stableId}/history`)).json();
      const published = history.items.find((i: any) => i.edition.id === edition).indicators;
      // By hand: satisfaction (10 + 10 + 5 + 0) / 4 = 6,25; clarity (7,5 + 10) / 2 = 8,75; 1 of 2 needed no help;
      // the one channel tried was reached (100 %), help rated « bonne » (7,5).
      assert.equal(published.satisfaction.value, 6.25);
      assert.equal(published.simplicity.value, 8.75);
      assert.equal(published.help_used.value, 50);
      assert.equal(published.help_reachable.value, 100);
      assert.equal(published.help_efficient.value, 7.5);

      const dashboard = (await admin.get(`/avis/demarches/${procedure}?debut=2026-01-01&fin=2026-03-31`)).body;
      assert.equal(dashboardFigure(dashboard, 'Satisfaction'), '6,3 / 10');
      assert.equal(dashboardFigure(dashboard, 'Clarté du langage'), '8,8 / 10');
      assert.equal(dashboardFigure(dashboard, 'Niveau d’autonomie'), '50,0 %');
      const page = (await t.app.inject(`/observatoire/demarches/${stableId}`)).body;
      assert.equal(observatoireFigure(page, 'satisfaction', 'Édition de test').replace(/\u202f|\u00a0/g, ' '), '6,3 / 10');
      await t.db.query(`DELETE FROM app_settings WHERE key = 'feedback_min_reviews'`);
    });

    test('on the seeded demo: every published edition, every procedure with reviews', async () => {
      await seedDemo(t.deps);
      const { rows: editions } = await t.db.query(
        `SELECT id, window_start, window_end FROM obs_editions WHERE is_demo AND status = 'published' ORDER BY id`,
      );
      assert.equal(editions.length, 3);
      const { rows: forms } = await t.db.query('SELECT DISTINCT procedure_id FROM feedback_forms WHERE is_demo');
      const pairs = [
        ['satisfaction', 'satisfaction'],
        ['simplicity', 'clarity'],
        ['help_reachable', 'helpReachable'],
        ['help_efficient', 'helpEfficient'],
        ['help_used', 'autonomy'],
      ] as const;
      let compared = 0;
      for (const e of editions) {
        const { rows: values } = await t.db.query(
          `SELECT procedure_id, indicator, raw_value FROM obs_edition_values WHERE edition_id = $1 AND procedure_id = ANY($2::bigint[])`,
          [e.id, forms.map((r) => r.procedure_id)],
        );
        const byProcedure = new Map<number, Record<string, string | null>>();
        for (const v of values)
          byProcedure.set(Number(v.procedure_id), { ...byProcedure.get(Number(v.procedure_id)), [v.indicator]: v.raw_value });
        for (const [id, cells] of byProcedure) {
          const head = await dashboardHead(t.db, 'procedure', id, { start: e.window_start, end: e.window_end });
          if (head.indicators.reviews < head.minimum) {
            assert.equal(cells.satisfaction, 'avis_insuffisants');
            continue;
          }
          for (const [slug, key] of pairs) {
            const own = head.indicators[key];
            assert.equal(
              cells[slug] === null ? null : Number(cells[slug]),
              own === null ? null : Math.round(own * 10_000) / 10_000,
              `${slug} of procedure ${id} in edition ${e.id}`,
            );
            compared++;
          }
        }
      }
      assert.ok(compared > 100);
    });

    test('the demo tells the real story of vehicle registration: about 51 % satisfied, 53 % needed help', async () => {
      const { rows } = await t.db.query(`SELECT id FROM procedures WHERE stable_id = 'ants-immatriculation-autres-demandes'`);
      const { rows: latest } = await t.db.query(
        `SELECT window_start, window_end FROM obs_editions WHERE is_demo AND status = 'published' ORDER BY published_at DESC LIMIT 1`,
      );
      const head = await dashboardHead(t.db, 'procedure', Number(rows[0].id), { start: latest[0].window_start, end: latest[0].window_end });
      const count = (q: string, o: string) =>
        head.counts.filter((c) => c.question === q && c.optionId === o).reduce((s, c) => s + c.count, 0);
      const satisfied = (100 * count('satisfaction', 'good')) / head.indicators.answers.satisfaction;
      assert.ok(head.indicators.reviews > 3000 && head.indicators.reviews < 5000, `${head.indicators.reviews} reviews`);
      assert.ok(Math.abs(satisfied - 51) < 2, `${satisfied} % satisfied`);
      assert.ok(Math.abs(100 - head.indicators.autonomy! - 53) < 2.5, `${100 - head.indicators.autonomy!} % needed help`);
    });
  });
}
