import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';
import { createTestUser } from '../../../test/helpers/users.ts';
import { seedDemo } from '../../demo/seed.ts';
import { createDraft } from '../editions/drafts.ts';

for (const target of TEST_TARGETS) {
  describe(`publishing an edition in a browser (${target})`, () => {
    let t: BrowserApp;
    before(async () => {
      t = await startBrowserApp(target);
      await seedDemo(t.deps);
    });
    after(async () => t?.close());

    test('draft with its changes, confirmation stating what is frozen, open window refused; axe finds nothing', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      await signInContext(t, context, await createTestUser(t.db, 'publication@vigie.test', [{ role: 'admin' }]));
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const problems: string[] = [];

      // The demo's draft: the current quarter, its window still open.
      const { rows } = await t.db.query(`SELECT id FROM obs_editions WHERE status = 'draft'`);
      await page.goto(`/observatoire/admin/editions/${rows[0].id}`);
      assert.match(await page.locator('main').innerText(), /fenêtre des avis de cette édition est encore ouverte/);
      assert.equal(await page.getByRole('link', { name: 'Publier l’édition…' }).count(), 0);
      problems.push(formatViolations('brouillon (fenêtre ouverte)', await runAxe(page)));
      await page.goto(`/observatoire/admin/editions/${rows[0].id}/publier`);
      problems.push(formatViolations('confirmation (fenêtre ouverte)', await runAxe(page)));

      const closed = await createDraft(
        t.db,
        { name: 'Édition de contrôle', period: 'Contrôle', windowStart: '2025-11-01', windowEnd: '2026-10-31' },
        null,
      );
      await page.goto(`/observatoire/admin/editions/${closed}`);
      assert.match(await page.locator('#changements').innerText(), /Changements par rapport à l’édition/);
      problems.push(formatViolations('brouillon', await runAxe(page)));
      await page.getByRole('link', { name: 'Publier l’édition…' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('main').innerText(), /La publication fige/);
      problems.push(formatViolations('confirmation', await runAxe(page)));
      await page.getByRole('button', { name: 'Confirmer la publication' }).click();
      await page.waitForURL(new RegExp(`/observatoire/editions/${closed}$`));

      assert.equal(problems.filter(Boolean).join('\n'), '');
      await context.close();
    });
  });
}
