import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';
import { publishedFullAudit } from '../accessibility/testing.ts';
import { challengeProcedures } from './queries.ts';
import { measureEffects } from './measure-effect.ts';
import { effectSection } from './views/effect-view.ts';
import { challengeEffect } from './effect.ts';
import type { Challenge } from './queries.ts';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);
const WINDOWS = { before: { start: '2026-03-09', end: '2026-05-31' }, after: { start: '2026-06-01', end: '2026-08-23' } };

for (const target of TEST_TARGETS) {
  describe(`défis: effect on accessibility rate, uptime, load time, online use and contacts (${target})`, () => {
    let t: TestApp;
    let c: TestCatalog;
    let procedureId: number;
    before(async () => {
      t = await createTestApp(target);
      c = await createTestCatalog(t.db, { prefix: 'mesure' });
      procedureId = c.procedures[0];
      // Accessibility: the fixture's audit (4 applicable criteria, 3 respected: 75 %) in January; the same audit again
      // in July with 8.5 fixed on the home page (4 of 4: 100 %).
      await publishedFullAudit(t.db, procedureId, '2026-01-15');
      const later = await publishedFullAudit(t.db, procedureId, '2026-07-10');
      await t.db.query(
        `UPDATE accessibility_results SET status = 'C' WHERE criterion = '8.5' AND page_id IN (SELECT id FROM accessibility_audit_pages WHERE audit_id = $1)`,
        [later],
      );
      // Monitoring since January; 12 h down on 1 April (before), 1 h down on 1 July (after).
      const target_ = (
        await t.db.query(
          `INSERT INTO monitoring_targets (procedure_id, kind, url, monitored_since) VALUES ($1, 'start', 'https://mesure.exemple.gouv.fr/', '2026-01-01T00:00:00Z') RETURNING id`,
          [procedureId],
        )
      ).rows[0].id;
      await t.db.query(
        `INSERT INTO monitoring_incidents (target_id, started_at, ended_at, cause) VALUES ($1, '2026-04-01T00:00:00Z', '2026-04-01T12:00:00Z', 'timeout'), ($1, '2026-07-01T00:00:00Z', '2026-07-01T01:00:00Z', 'timeout')`,
        [target_],
      );
      // Load times: 1, 2 and 3 s before; 0,5, 1 and 1,5 s after; one failed load that does not count.
      for (const [at, ms] of [
        ['2026-04-02', 1000],
        ['2026-04-03', 2000],
        ['2026-04-04', 3000],
        ['2026-07-02', 500],
        ['2026-07-03', 1000],
        ['2026-07-04', 1500],
      ] as const) {
        await t.db.query('INSERT INTO monitoring_page_loads (target_id, measured_at, load_ms) VALUES ($1, $2, $3)', [
          target_,
          `${at}T10:00:00Z`,
          ms,
        ]);
      }
      await t.db.query(
        `INSERT INTO monitoring_page_loads (target_id, measured_at, load_ms, error) VALUES ($1, '2026-07-05T10:00:00Z', NULL, 'timeout')`,
        [target_],
      );
      // Observatoire: online use 40 % and 120 contacts per 1 000 in the winter edition, 55 % and 90 in the summer one.
      const version = (await t.db.query('SELECT max(version) AS v FROM obs_rule_sets')).rows[0].v;
      const p = (
        await t.db.query(
          'SELECT p.stable_id, p.slug, p.title, a.id AS administration_id, a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1',
          [procedureId],
        )
      ).rows[0];
      for (const [name, start, end, usage, contacts] of [
        ['Hiver', '2026-01-01', '2026-03-31', '40', '120'],
        ['Été', '2026-06-01', '2026-08-31', '55', '90'],
      ] as const) {
        const e = (
          await t.db.query(`INSERT INTO obs_editions (name, period, window_start, window_end) VALUES ($1, $1, $2, $3) RETURNING id`, [
            name,
            start,
            end,
          ])
        ).rows[0].id;
        await t.db.query(
          `INSERT INTO obs_edition_procedures (edition_id, procedure_id, stable_id, slug, title, ministry_id, ministry_name, administration_id, administration_name, search)
           VALUES ($1, $2, $3, $4, $5, $6, 'M', $7, 'A', '')`,
          [e, procedureId, p.stable_id, p.slug, p.title, p.ministry_id, p.administration_id],
        );
        await t.db.query(
          `INSERT INTO obs_edition_values (edition_id, procedure_id, indicator, raw_value, label, colour, rule_version) VALUES ($1, $2, 'usage', $3, 'Informatif', 'gray', $5), ($1, $2, 'contacts', $4, 'Informatif', 'gray', $5)`,
          [e, procedureId, usage, contacts, version],
        );
        await t.db.query(`UPDATE obs_editions SET status = 'published', published_at = $2, rule_version = $3 WHERE id = $1`, [
          e,
          `${end}T12:00:00Z`,
          version,
        ]);
      }
    });
    after(async () => t.close());

    test('each indicator by its method: census and time without interval, load times with a t interval and Welch (SciPy 1.17)', async () => {
      const procedures = await challengeProcedures(t.db, [c.procedureStableIds[0]]);
      const effects = await measureEffects(
        t.db,
        ['satisfaction', 'accessibilityRate', 'uptime', 'loadTime', 'onlineUse', 'contacts'],
        procedures,
        WINDOWS,
      );
      assert.deepEqual(
        effects.map((e) => [e.indicator, e.method]),
        [
          ['accessibilityRate', 'census'],
          ['uptime', 'time'],
          ['loadTime', 'sample'],
          ['onlineUse', 'published'],
          ['contacts', 'published'],
        ],
      );
      const [rate, uptime, load, usage, contacts] = effects.map((e) => e!);
      // By hand: 3 of 4 applicable criteria before, 4 of 4 after: +25 points; n = 4 applicable criteria each.
      assert.deepEqual(
        [
          rate!.procedures[0]!.before!.value,
          rate!.procedures[0]!.before!.basis,
          rate!.procedures[0]!.after!.value,
          rate!.procedures[0]!.after!.basis,
          rate!.procedures[0]!.difference,
        ],
        [75, 4, 100, 4, 25],
      );
      // By hand: 84 days = 2 016 h each window; (2 016 − 12) ÷ 2 016 = 99,4048 % and (2 016 − 1) ÷ 2 016 = 99,9504 %.
      const u = uptime!.procedures[0]!;
      close(u.before!.value, ((2016 - 12) / 2016) * 100);
      close(u.after!.value, ((2016 - 1) / 2016) * 100);
      close(u.difference!, (11 / 2016) * 100);
      assert.deepEqual([u.before!.basis, u.after!.basis], [84, 84]);
      // SciPy: t.interval(0.95, 2, loc=2, scale=1/√3) = −0,484 – 4,484 (cut at 0); ttest_ind(after, before, equal_var=False):
      // p = 0,22088, interval of the difference −3,0777 – 1,0777.
      const s = load!.sample!;
      close(s.before!.value, 2);
      close(s.before!.lower, 0);
      close(s.before!.upper, 4.48413771175033, 1e-8);
      close(s.after!.upper, 2.242068855875165, 1e-8);
      assert.equal(s.before!.n, 3);
      close(s.difference!.difference, -1);
      close(s.difference!.pValue!, 0.22088084049409593, 1e-8);
      close(s.difference!.lower, -3.0776997515912528, 1e-7);
      close(s.difference!.upper, 1.0776997515912528, 1e-7);
      // The last edition ending before 1 June against the last one starting on or after it.
      assert.deepEqual(
        [usage!.procedures[0]!.before!.value, usage!.procedures[0]!.after!.value, usage!.procedures[0]!.difference],
        [40, 55, 15],
      );
      assert.deepEqual(
        [contacts!.procedures[0]!.before!.source, contacts!.procedures[0]!.after!.value, contacts!.procedures[0]!.difference],
        ['Hiver', 90, -30],
      );
    });

    test('the défi page says which measures have no interval and why, with n beside each value; axe-free markup is checked by the crawl', async () => {
      const challenge = {
        launch: '2026-06-01',
        indicators: ['accessibilityRate', 'uptime', 'loadTime', 'contacts'],
        procedures: [c.procedureStableIds[0]],
      } as unknown as Challenge;
      const effect = (await challengeEffect(t.db, challenge, await challengeProcedures(t.db, [c.procedureStableIds[0]]), '2026-12-01'))!;
      const html = String(effectSection(effect));
      assert.match(html, /ce n’est pas un échantillon, il n’y a donc pas d’intervalle de confiance/);
      assert.match(html, /75,0 % <span class="fr-text--xs">\(Audit complet 2026, 15 janvier 2026 ; 4 critères applicables\)<\/span>/);
      assert.match(html, /\+25,0 points/);
      assert.match(
        html,
        /99,40 % <span class="fr-text--xs">\(84,0 jours surveillés, du 9 mars 2026 au 31 mai 2026\)<\/span><\/td><td>99,95 % <span[^>]*>[^<]*<\/span><\/td><td>\+0,55 points/,
      );
      assert.match(html, /2,00 s \(0,0 à 4,5 s ; 3 chargements\)/);
      assert.match(html, /stable<\/span> \(p = 0,221\)/);
    });
  });
}
