import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { formatViolations, runAxe, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';
import { recordFirstVisit } from '../../../test/browser/first-visit.ts';
import { seedDemo } from '../../demo/seed.ts';

/** Budget of a first visit to the observatoire (issue 10), every resource the browser fetched included, compressed. */
const BUDGET_BYTES = 150 * 1024;

for (const target of TEST_TARGETS) {
  describe(`observatoire first visit weight (${target})`, () => {
    let t: BrowserApp;
    before(async () => {
      t = await startBrowserApp(target);
      await seedDemo(t.deps);
    });
    after(async () => t?.close());

    test('the public observatoire weighs under 150 KB transferred on a fresh browser, fonts, styles and scripts included, and passes axe', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      const { page, transfers } = await recordFirstVisit(context, '/observatoire');
      assert.equal(await page.locator('h1').count(), 1);

      const total = transfers.reduce((sum, x) => sum + x.bytes, 0);
      const detail = transfers.map((x) => `${x.bytes} ${x.encoding ?? '-'} ${x.url.replace(t.origin, '')}`).join('\n');
      console.log(`first visit of /observatoire: ${total} bytes transferred\n${detail}`);
      for (const x of transfers) {
        if (/\.(css|js)$|\/observatoire$/.test(new URL(x.url).pathname))
          assert.ok(x.encoding === 'br' || x.encoding === 'gzip', `not compressed: ${x.url}`);
      }
      assert.ok(total < BUDGET_BYTES, `${total} bytes transferred, budget ${BUDGET_BYTES}:\n${detail}`);
      assert.equal(formatViolations('/observatoire', await runAxe(page)), '');
      await context.close();
    });
  });
}
