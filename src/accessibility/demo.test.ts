import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { MODULES } from '../app.ts';
import { todayInParis } from '../kernel/web/format.ts';
import { seedAccessibilityDemo, seedAntsDeclaration } from './demo.ts';
import { publishedFullAudit } from './testing.ts';

for (const target of TEST_TARGETS) {
  describe(`accessibility demo data (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
      await MODULES.find((m) => m.name === 'catalog')!.seedDemo!(t.deps);
    });
    after(() => t?.close());

    test('the ministry of the economy’s plan for 28 procedures, « Paiement des amendes » first with its dated roadmap; idempotent', async () => {
      await seedAccessibilityDemo(t.db);
      await seedAccessibilityDemo(t.db);
      const plans = await t.db.query(
        `SELECT pl.id, pl.start_year, pl.end_year FROM accessibility_plans pl JOIN ministries m ON m.id = pl.ministry_id WHERE m.code = 'economie'`,
      );
      assert.equal(plans.rows.length, 1);
      assert.deepEqual([plans.rows[0].start_year, plans.rows[0].end_year], [2025, 2027]);
      const covered = await t.db.query(
        `SELECT count(DISTINCT procedure_id)::int AS n FROM accessibility_plan_actions WHERE plan_id = $1 AND procedure_id IS NOT NULL`,
        [plans.rows[0].id],
      );
      assert.equal(covered.rows[0].n, 28);
      const road = await t.db.query(
        `SELECT r.target_on, count(m.id)::int AS milestones FROM accessibility_roadmaps r JOIN procedures p ON p.id = r.procedure_id
           LEFT JOIN accessibility_milestones m ON m.procedure_id = r.procedure_id WHERE p.slug = 'dgfip-paiement-amendes' GROUP BY r.target_on`,
      );
      assert.deepEqual(road.rows[0], { target_on: '2027-06-30', milestones: 7 });
      const page = await t.app.inject(`/plans-accessibilite/${plans.rows[0].id}/plan-annuel/2026`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Bilan des actions de 2025/);
      const api = (
        await t.app.inject(
          `/api/v1/accessibility/roadmaps/${(await t.db.query(`SELECT stable_id FROM procedures WHERE slug = 'dgfip-paiement-amendes'`)).rows[0].stable_id}`,
        )
      ).json();
      assert.equal(api.milestones.at(-1).title, 'Publication de la déclaration « totalement conforme »');
    });

    test('the ANTS declaration waits for a published full audit, then is published from it', async () => {
      assert.equal(await seedAntsDeclaration(t.db), 'no_audit');
      const { rows } = await t.db.query(`SELECT id, stable_id FROM procedures WHERE slug = 'ants-immatriculation-autres-demandes'`);
      await publishedFullAudit(t.db, Number(rows[0].id), todayInParis());
      assert.equal(await seedAntsDeclaration(t.db), 'published');
      assert.equal(await seedAntsDeclaration(t.db), 'exists');
      const ants = (await t.app.inject(`/api/v1/accessibility/roadmaps/${encodeURIComponent(rows[0].stable_id)}`)).json();
      assert.deepEqual([ants.targetOn, ants.milestones.length], ['2027-12-31', 6]);
      const res = await t.app.inject(`/declarations-accessibilite/${encodeURIComponent(rows[0].stable_id)}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<strong>75 %<\/strong> des critères RGAA sont respectés/);
      assert.match(res.body, /accessibilite@ants\.gouv\.fr/);
    });
  });
}

describe('the whole accessibility demo (PGlite)', () => {
  test('the audits’ ANTS demo audit comes first, then its declaration is published from it', async () => {
    const t = await createTestApp('pglite');
    try {
      await MODULES.find((m) => m.name === 'catalog')!.seedDemo!(t.deps);
      await MODULES.find((m) => m.name === 'accessibility')!.seedDemo!(t.deps);
      const { rows } = await t.db.query(`SELECT stable_id FROM procedures WHERE slug = 'ants-immatriculation-autres-demandes'`);
      const res = await t.app.inject(`/api/v1/accessibility/declarations/${encodeURIComponent(rows[0].stable_id)}`);
      assert.equal(res.statusCode, 200);
      const d = res.json();
      // The issue: the ANTS procedure was found not RGAA AA compliant; its demo audit is « partiellement conforme ».
      assert.equal(d.declaration.conformity.label, 'partiellement_conforme');
      assert.equal(d.validity.valid, true);
      assert.ok(d.declaration.nonAccessible.nonConformities.length > 0);
    } finally {
      await t.close();
    }
  });
});
