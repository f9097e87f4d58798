import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { QueryOptions, Queryable } from '../../kernel/db/db.ts';
import { insertButton } from '../forms/queries.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';
import { rebuildRollups } from '../demo/seed.ts';
import { FirstStepBatcher } from './first-step-batcher.ts';
import type { FirstStep } from './first-steps.ts';

let serial = 0;

async function rollups(db: Queryable, formId: number): Promise<string> {
  const { rows } = await db.query(
    `SELECT day, button_id, question, option_id, sum(count)::int AS count FROM feedback_rollups WHERE form_id = $1
      GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4`,
    [formId],
  );
  return JSON.stringify(rows);
}

/** The database seen through a counter of statements. */
function counting(db: Queryable): Queryable & { statements: number } {
  const wrapper = {
    statements: 0,
    query<T>(text: string, params?: unknown[], options?: QueryOptions) {
      wrapper.statements++;
      return db.query<T>(text, params, options);
    },
  };
  return wrapper as Queryable & { statements: number };
}

for (const target of TEST_TARGETS) {
  describe(`first steps written together (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    const step = (
      option: string,
      over: { ip?: string; limit?: number; nonce?: string; version?: number; buttonId?: number } = {},
    ): FirstStep => ({
      review: {
        formId: f.formId,
        formVersion: over.version ?? 1,
        buttonId: over.buttonId ?? f.button.id,
        procedureId: f.catalog.procedures[0],
        nonce: over.nonce ?? `batch-${target}-${serial++}`,
        lang: 'fr',
      },
      answers: [{ question: 'satisfaction', sub: '', optionId: option }],
      rate: { ipHash: over.ip ?? `ip-${target}-${serial++}`, limit: over.limit ?? 1000, shard: serial % 8 },
    });
    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'batch');
    });
    after(async () => t.close());

    test('concurrent submissions are written by a few statements, every one stored, rollups equal to a rebuild', async () => {
      const db = counting(t.db);
      const batcher = new FirstStepBatcher(db, { maxInFlight: 1 });
      const steps = Array.from({ length: 40 }, (_, i) => step(['bad', 'medium', 'good'][i % 3]));
      const outcomes = await Promise.all(steps.map((s) => batcher.submit(s)));
      // The first one is written at once, the 39 that arrived meanwhile together.
      assert.equal(db.statements, 2);
      assert.ok(outcomes.every((o) => o.live && o.review !== null && o.rateCount === 1));
      assert.equal(new Set(outcomes.map((o) => o.review!.id)).size, 40);
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM feedback_reviews WHERE nonce = ANY($1::text[])', [
        steps.map((s) => s.review.nonce),
      ]);
      assert.equal(rows[0].n, 40);
      const { rows: answers } = await t.db.query(
        `SELECT r.nonce, a.option_id FROM feedback_answers a JOIN feedback_reviews r ON r.id = a.review_id AND r.day = a.day WHERE r.nonce = ANY($1::text[])`,
        [steps.map((s) => s.review.nonce)],
      );
      assert.deepEqual(
        new Map(answers.map((a) => [a.nonce, a.option_id])),
        new Map(steps.map((s) => [s.review.nonce, s.answers[0].optionId])),
      );
      const incremental = await rollups(t.db, f.formId);
      assert.match(incremental, /"question":"_review","option_id":"all","count":40/);
      await t.db.transaction((tx) => rebuildRollups(tx, [f.formId]));
      assert.equal(await rollups(t.db, f.formId), incremental);
    });

    test('in one batch, a replayed nonce, a stale version, a closed button and submissions over the limit are refused alone', async () => {
      const closed = await insertButton(t.db, { formId: f.formId, name: 'Fermé', placement: '', isTest: false });
      await t.db.query('UPDATE feedback_buttons SET closed_at = now() WHERE id = $1', [closed.id]);
      const used = step('good');
      const batcher = new FirstStepBatcher(t.db, { maxInFlight: 1 });
      await batcher.submit(used);
      const before = await rollups(t.db, f.formId);
      const busy = `ip-busy-${target}`;
      const batch = [
        step('good'), // written alone: the next ones queue behind it
        step('bad', { nonce: used.review.nonce }),
        step('good', { version: 2 }),
        step('good', { buttonId: closed.id }),
        ...Array.from({ length: 5 }, () => step('medium', { ip: busy, limit: 3 })),
        step('bad'),
      ];
      const outcomes = await Promise.all(batch.map((s) => batcher.submit(s)));
      assert.ok(outcomes[0].review && outcomes[9].review, 'the good ones are stored');
      assert.deepEqual([outcomes[1].live, outcomes[1].review], [true, null], 'replayed');
      assert.deepEqual([outcomes[2].live, outcomes[2].review], [false, null], 'stale version');
      assert.deepEqual([outcomes[3].live, outcomes[3].review], [false, null], 'closed button');
      // The same address five times in one batch counts exactly as five submissions in a row.
      assert.deepEqual(
        outcomes.slice(4, 9).map((o) => o.rateCount),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(
        outcomes.slice(4, 9).map((o) => o.review !== null),
        [true, true, true, false, false],
      );
      const { rows } = await t.db.query(`SELECT sum(count)::int AS n FROM feedback_rate WHERE ip_hash = $1`, [busy]);
      assert.equal(rows[0].n, 5);
      // And the next batch goes on from there.
      const next = await Promise.all(
        [step('medium', { ip: busy, limit: 3 }), step('medium', { ip: busy, limit: 3 })].map((s) => batcher.submit(s)),
      );
      assert.deepEqual(
        next.map((o) => [o.rateCount, o.review]),
        [
          [6, null],
          [7, null],
        ],
      );
      const { rows: reviews } = await t.db.query('SELECT count(*)::int AS n FROM feedback_reviews WHERE nonce = ANY($1::text[])', [
        batch.map((s) => s.review.nonce),
      ]);
      assert.equal(reviews[0].n, 1 + 2 + 3, 'the used nonce, the two good ones and three of the busy address');
      assert.notEqual(await rollups(t.db, f.formId), before);
      const incremental = await rollups(t.db, f.formId);
      await t.db.transaction((tx) => rebuildRollups(tx, [f.formId]));
      assert.equal(await rollups(t.db, f.formId), incremental);
    });

    test('the same nonce twice at the same moment: one review, the other one is a replay', async () => {
      const batcher = new FirstStepBatcher(t.db, { maxInFlight: 1 });
      const nonce = `twice-${target}`;
      const outcomes = await Promise.all([step('good'), step('good', { nonce }), step('bad', { nonce })].map((s) => batcher.submit(s)));
      assert.deepEqual(
        outcomes.map((o) => o.review !== null),
        [true, true, false],
      );
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM feedback_reviews WHERE nonce = $1', [nonce]);
      assert.equal(rows[0].n, 1);
    });

    test('a database error in a batch fails only the row that causes it: the others are written one by one', async () => {
      const db = counting(t.db);
      const batcher = new FirstStepBatcher(db, { maxInFlight: 1 });
      const before = await rollups(t.db, f.formId);
      const bad = step('good');
      bad.answers = [{ question: 'satisfaction', sub: '', optionId: null as unknown as string }]; // NOT NULL violation
      const steps = [step('good'), step('bad'), bad, step('medium')];
      const settled = await Promise.allSettled(steps.map((s) => batcher.submit(s)));
      assert.deepEqual(
        settled.map((s) => s.status),
        ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      );
      // 1 alone, 1 batch of 3 that failed, then its 3 rows one by one.
      assert.equal(db.statements, 5);
      const { rows } = await t.db.query('SELECT nonce FROM feedback_reviews WHERE nonce = ANY($1::text[]) ORDER BY id', [
        steps.map((s) => s.review.nonce),
      ]);
      assert.deepEqual(
        rows.map((r) => r.nonce),
        [steps[0], steps[1], steps[3]].map((s) => s.review.nonce),
      );
      assert.notEqual(await rollups(t.db, f.formId), before);
      const incremental = await rollups(t.db, f.formId);
      await t.db.transaction((tx) => rebuildRollups(tx, [f.formId]));
      assert.equal(await rollups(t.db, f.formId), incremental);
    });

    test('through the questionnaire: 25 visitors answering at the same moment are all stored and redirected', async () => {
      const visitors = Array.from({ length: 25 }, (_, i) => new Visitor(t.app, `192.0.2.${i + 1}`));
      const pages = await Promise.all(visitors.map((v) => v.client.get(`/avis/b/${f.button.publicKey}`)));
      const before = JSON.parse(await rollups(t.db, f.formId)).find((r: { question: string }) => r.question === '_review')?.count ?? 0;
      const responses = await Promise.all(
        visitors.map((v, i) =>
          v.client.post(
            `/avis/b/${f.button.publicKey}`,
            { debut: Visitor.field(pages[i].body, 'debut'), lang: 'fr', satisfaction: 'good' },
            { csrf: false },
          ),
        ),
      );
      assert.deepEqual(new Set(responses.map((r) => r.statusCode)), new Set([303]));
      assert.ok(
        responses.every(
          (r) => /\/etape\/2\?jeton=/.test(String(r.headers.location)) && /vigie_avis=/.test(String(r.headers['set-cookie'])),
        ),
      );
      const after = JSON.parse(await rollups(t.db, f.formId)).find((r: { question: string }) => r.question === '_review').count;
      assert.equal(after - before, 25);
    });
  });
}
