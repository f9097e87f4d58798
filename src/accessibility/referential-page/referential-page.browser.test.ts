import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatViolations, runAxe, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';

// The page reads no table: one engine is enough.
describe('the RGAA referential page in a browser', () => {
  let t: BrowserApp;
  before(async () => {
    t = await startBrowserApp('pglite');
  });
  after(() => t?.close());

  test('axe finds no violation, with every criterion’s tests shown', async () => {
    const context = await t.newContext();
    try {
      const page = await context.newPage();
      await page.goto('/referentiel-rgaa');
      assert.equal(await page.locator('h1').count(), 1);
      const closed = await runAxe(page);
      assert.equal(closed.length, 0, formatViolations(page.url(), closed));
      // Open every « tests » disclosure, as a reader would, and check the content they reveal too.
      await page.evaluate(() =>
        document.querySelectorAll('details').forEach((d) => {
          d.setAttribute('open', '');
        }),
      );
      const open = await runAxe(page);
      assert.equal(open.length, 0, formatViolations(page.url(), open));
    } finally {
      await context.close();
    }
  });
});
