import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { seedDemo } from '../demo/seed.ts';
import { challengeProcedures, getChallenge } from './queries.ts';
import { challengeEffect } from './effect.ts';

for (const target of TEST_TARGETS) {
  describe(`demo défis: the effect computed from the demo's own reviews (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
      await seedDemo(t.deps);
      await seedDemo(t.deps); // idempotent
    });
    after(async () => t.close());

    test('vehicle registration: about 51 % satisfied before; after the launch satisfaction rises and negative reviews, difficulty and need for help fall, significantly', async () => {
      const c = (await getChallenge(t.db, { slug: 'immatriculation-vehicules' }))!;
      assert.equal((await t.db.query('SELECT count(*)::int AS n FROM challenges')).rows[0].n, 2);
      const effect = (await challengeEffect(t.db, c, await challengeProcedures(t.db, c.procedures)))!;
      const by = (k: string) => effect.indicators.find((i) => i.indicator === k)!;
      // The generator's probabilities (51 % « Très bien », 34 % « Pas bien » before; +14 and −12 points after): only
      // the direction and significance are asserted, the figures are drawn.
      assert.ok(Math.abs(by('negative').before!.value - 34) < 5, `${by('negative').before!.value} % negative before`);
      assert.ok(by('satisfaction').difference!.difference > 0 && by('satisfaction').difference!.pValue! < 0.05);
      for (const k of ['negative', 'hard', 'helpNeeded']) {
        assert.ok(by(k).difference!.difference < 0 && by(k).difference!.pValue! < 0.05, `${k} falls significantly`);
      }
      const page = await t.app.inject('/defis/immatriculation-vehicules');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /baisse significative/);
      assert.match(page.body, /hausse significative/);
      assert.equal((await t.app.inject('/defis/paiement-amendes-accessible')).statusCode, 200);
    });
  });
}
