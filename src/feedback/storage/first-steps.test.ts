import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createFeedbackFixture, type FeedbackFixture } from '../testing.ts';
import { FIRST_STEPS_SQL, ingestFirstSteps } from './first-steps.ts';

for (const target of TEST_TARGETS) {
  describe(`first-step statement (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'plan');
      // A national deployment: thousands of forms, each with its button (unpublished forms: none is live).
      await t.db.query(
        `WITH forms AS (
           INSERT INTO feedback_forms (procedure_id, template, name) SELECT $1, 'default', 'Formulaire ' || g FROM generate_series(1, 3000) g RETURNING id
         )
         INSERT INTO feedback_buttons (form_id, public_key, name) SELECT id, 'plan-' || id, 'Bouton' FROM forms`,
        [f.catalog.procedures[0]],
      );
      await t.db.query(
        `INSERT INTO feedback_buttons (form_id, public_key, name) VALUES ($1, 'plan-closed', 'Fermé'), ($1, 'plan-open', 'Ouvert')`,
        [f.formId],
      );
      await t.db.query('ANALYZE feedback_buttons');
      await t.db.query('ANALYZE feedback_forms');
    });
    after(async () => t.close());

    test('its generic plan checks the submitted buttons by key and never reads the whole table of buttons or forms', async () => {
      // The plan a server keeps for its prepared statement after a few batches.
      const plan = await t.db.transaction(async (tx) => {
        await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
        await tx.query(`PREPARE first_steps_plan AS ${FIRST_STEPS_SQL}`);
        try {
          const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE first_steps_plan('[]', '[]', '[]', '[]', 0, NULL)`);
          return rows.map((r) => r['QUERY PLAN']).join('\n');
        } finally {
          await tx.query('DEALLOCATE first_steps_plan');
        }
      });
      assert.doesNotMatch(plan, /Seq Scan on feedback_buttons\b/, plan);
      assert.doesNotMatch(plan, /Seq Scan on feedback_forms\b/, plan);
    });

    test('among thousands of buttons, a closed one is refused and a live one accepted in the same batch', async () => {
      const { rows } = await t.db.query<{ id: number }>(
        `SELECT id FROM feedback_buttons WHERE public_key IN ('plan-closed', 'plan-open') ORDER BY public_key`,
      );
      const [closed, open] = rows.map((r) => Number(r.id));
      await t.db.query('UPDATE feedback_buttons SET closed_at = now() WHERE id = $1', [closed]);
      const step = (buttonId: number, nonce: string) => ({
        review: { formId: f.formId, formVersion: 1, buttonId, procedureId: f.catalog.procedures[0], nonce, lang: 'fr' },
        answers: [{ question: 'satisfaction', sub: '', optionId: 'good' }],
        rate: { ipHash: `plan-ip-${target}`, limit: 100, shard: 0 },
      });
      const [refused, accepted] = await ingestFirstSteps(t.db, [step(closed, `plan-a-${target}`), step(open, `plan-b-${target}`)]);
      assert.equal(refused.live, false);
      assert.equal(refused.review, null);
      assert.equal(accepted.live, true);
      assert.ok(accepted.review);
      const { rows: stored } = await t.db.query<{ button_id: number }>(
        `SELECT button_id FROM feedback_reviews WHERE nonce LIKE 'plan-_-%'`,
      );
      assert.deepEqual(
        stored.map((r) => Number(r.button_id)),
        [open],
      );
    });
  });
}
