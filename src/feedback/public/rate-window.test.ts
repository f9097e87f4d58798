/**
 * The questionnaire's rate limit is a sliding window (issue 10): 30 submissions at :59 and 30 more at :00 went through
 * with the fixed per-minute window; now the 30 of :59 still count at :00. Times are given to the statements, so the
 * burst is tested at chosen instants; the counters stay in the database, shared by every server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createFeedbackFixture, type FeedbackFixture } from '../testing.ts';
import { ingestFirstSteps } from '../storage/first-steps.ts';
import { overRateLimit } from './abuse.ts';

const LIMIT = 30;

for (const target of TEST_TARGETS) {
  describe(`sliding-window rate limit (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let nonce = 0;
    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'window');
    });
    after(() => t.close());

    /** `n` first steps from one address in one batch at `at`; how many were accepted. */
    async function burst(ipHash: string, n: number, at: string): Promise<number> {
      const steps = Array.from({ length: n }, () => ({
        review: {
          formId: f.formId,
          formVersion: 1,
          buttonId: f.button.id,
          procedureId: f.catalog.procedures[0],
          nonce: `window-${target}-${++nonce}`,
          lang: 'fr' as const,
        },
        answers: [{ question: 'satisfaction', sub: '', optionId: 'good' }],
        rate: { ipHash, limit: LIMIT, shard: nonce % 8 },
      }));
      const outcomes = await ingestFirstSteps(t.db, steps, 0, new Date(at));
      return outcomes.filter((o) => o.review !== null).length;
    }

    test('30 at 10:00:59 are accepted, the next one at 10:01:00.2 is refused, room comes back as the minute slides', async () => {
      const ip = `window-burst-${target}`;
      assert.equal(await burst(ip, LIMIT, '2026-12-03T10:00:59.500Z'), 30);
      // Fixed window: 30 more accepted here. Sliding: the 30 of :59 count for 30 × (1 − 0.2/60) = 29.9.
      assert.equal(await burst(ip, 30, '2026-12-03T10:01:00.200Z'), 0);
      // At 10:01:45 the minute 10:00 counts for a quarter (7.5) and 10:01 holds 30 refused attempts, which count too.
      assert.equal(await burst(ip, 5, '2026-12-03T10:01:45.000Z'), 0);
      // At 10:02:30: 10:01 (35 attempts) counts for half, 17.5: 12 more fit (17.5 + 12 = 29.5 ≤ 30, 17.5 + 13 > 30).
      assert.equal(await burst(ip, 20, '2026-12-03T10:02:30.000Z'), 12);
      // A quiet minute later, the full limit again.
      assert.equal(await burst(ip, 40, '2026-12-03T10:04:00.000Z'), 30);
    });

    test('a steady flow under the limit (24 a minute, 2 every 5 s) is never refused', async () => {
      const ip = `window-steady-${target}`;
      let accepted = 0;
      for (let second = 0; second < 180; second += 5) {
        const at = new Date(Date.UTC(2026, 11, 3, 11, 0, 0) + second * 1000).toISOString();
        accepted += await burst(ip, 2, at);
      }
      assert.equal(accepted, 72);
    });

    test('the later steps use the same window: over the limit at :00 after 30 at :59', async () => {
      const ip = `window-steps-${target}`;
      for (let i = 0; i < LIMIT; i++)
        assert.equal(await overRateLimit(t.db, ip, LIMIT, new Date('2026-12-03T12:00:59.000Z')), false, `submission ${i + 1}`);
      assert.equal(await overRateLimit(t.db, ip, LIMIT, new Date('2026-12-03T12:01:00.500Z')), true);
    });
  });
}
