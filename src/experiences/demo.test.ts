import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { seedCatalogDemo } from '../catalog/index.ts';
import { seedExperiencesDemo } from './demo.ts';

for (const target of TEST_TARGETS) {
  describe(`experiences demo data (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
      await seedCatalogDemo(t.db);
    });
    after(() => t?.close());

    test('stories for the vehicle registration and the fines, some answered, one action engaged, some waiting; idempotent', async () => {
      const today = new Date();
      await seedExperiencesDemo(t.deps, today);
      await seedExperiencesDemo(t.deps, today);
      const { rows } = await t.db.query(
        `SELECT p.stable_id, e.status, count(*)::int AS n FROM experiences e JOIN procedures p ON p.id = e.procedure_id GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      // By hand from the lists of demo.ts: ANTS 10 stories (2 in the queue, 3 unanswered, 1 solved, 2 action engaged,
      // 2 answered); fines 6 (1 in the queue, 2 unanswered, 1 action engaged, 1 answered, 1 closed).
      assert.deepEqual(rows, [
        { stable_id: 'ants-immatriculation-autres-demandes', status: 'action_engaged', n: 2 },
        { stable_id: 'ants-immatriculation-autres-demandes', status: 'answered', n: 2 },
        { stable_id: 'ants-immatriculation-autres-demandes', status: 'published', n: 3 },
        { stable_id: 'ants-immatriculation-autres-demandes', status: 'received', n: 2 },
        { stable_id: 'ants-immatriculation-autres-demandes', status: 'solved', n: 1 },
        { stable_id: 'dgfip-paiement-amendes', status: 'action_engaged', n: 1 },
        { stable_id: 'dgfip-paiement-amendes', status: 'answered', n: 1 },
        { stable_id: 'dgfip-paiement-amendes', status: 'closed', n: 1 },
        { stable_id: 'dgfip-paiement-amendes', status: 'published', n: 2 },
        { stable_id: 'dgfip-paiement-amendes', status: 'received', n: 1 },
      ]);
      // The insulting story and the near duplicate are flagged for the moderators.
      const flagged = await t.db.query(`SELECT flags FROM experiences WHERE status = 'received' AND flags <> '{}' ORDER BY id`);
      assert.equal(flagged.rows.length, 2);
      assert.deepEqual(flagged.rows[0].flags.insults, ['escroc']);
      assert.equal(flagged.rows[1].flags.similarity, 1);
      // Accessibility stories: the screen-reader one (ticked) and the visually impaired one (ticked) at least.
      const a11y = await t.db.query(`SELECT count(*)::int AS n FROM experiences WHERE accessibility`);
      assert.ok(a11y.rows[0].n >= 2);
      const page = await t.app.inject(
        '/temoignages/demarches/' +
          (await t.db.query(`SELECT id FROM procedures WHERE stable_id = 'ants-immatriculation-autres-demandes'`)).rows[0].id,
      );
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /8\u00a0témoignages publiés/);
    });
  });
}
