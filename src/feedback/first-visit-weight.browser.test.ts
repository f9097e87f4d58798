import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { startBrowserApp, type BrowserApp } from '../../test/browser/browser.ts';
import { recordFirstVisit } from '../../test/browser/first-visit.ts';
import { createFeedbackFixture, type FeedbackFixture } from './testing.ts';

/** Budget of a first visit to the questionnaire's first step, every resource included (docs/feedback.md). */
const BUDGET_BYTES = 100 * 1024;

for (const target of TEST_TARGETS) {
  describe(`questionnaire first visit weight (${target})`, () => {
    let t: BrowserApp;
    let f: FeedbackFixture;
    before(async () => {
      t = await startBrowserApp(target);
      f = await createFeedbackFixture(t.db, 'web');
    });
    after(async () => t?.close());

    test('the first step weighs under 100 KB transferred on a fresh browser, fonts and styles included', async () => {
      const context = await t.newContext();
      const { page, transfers } = await recordFirstVisit(context, `/avis/b/${f.button.publicKey}`);
      assert.equal(await page.locator('h1').count(), 1);

      const total = transfers.reduce((sum, x) => sum + x.bytes, 0);
      const detail = transfers.map((x) => `${x.bytes} ${x.encoding ?? '-'} ${x.url}`).join('\n');
      const paths = transfers.map((x) => new URL(x.url).pathname);
      // The page really is styled: its stylesheet and the Marianne regular face were downloaded, and counted.
      assert.ok(
        paths.some((p) => p.startsWith('/assets/light/')),
        detail,
      );
      assert.ok(
        paths.some((p) => p.endsWith('Marianne-Regular.woff2')),
        detail,
      );
      for (const x of transfers) {
        if (/\.(css|js)$|\/avis\/b\//.test(new URL(x.url).pathname))
          assert.ok(x.encoding === 'br' || x.encoding === 'gzip', `not compressed: ${x.url}`);
      }
      assert.ok(total < BUDGET_BYTES, `${total} bytes transferred, budget ${BUDGET_BYTES}:\n${detail}`);
      console.log(`first visit of the questionnaire: ${total} bytes transferred\n${detail.replaceAll(t.origin, '')}`);
      await context.close();
    });

    test('the first step renders before any script runs: no blocking script, and it is complete without JavaScript', async () => {
      const context = await t.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`/avis/b/${f.button.publicKey}`);
      const blocking = await page.locator('script:not([type="module"]):not([defer]):not([async]):not([nomodule])').count();
      assert.equal(blocking, 0);
      assert.equal((await page.getByRole('radio').count()) > 0, true);
      const font = await page
        .locator('legend')
        .first()
        .evaluate((el) => getComputedStyle(el).fontFamily);
      assert.match(font, /Marianne/);
      await context.close();
    });
  });
}
