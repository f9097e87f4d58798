import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../test/browser/browser.ts';
import { createTestUser } from '../../test/helpers/users.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from './testing.ts';

/** The administration and ministry dashboards, reached by links from the feedback home, pass axe (WCAG 2.2 AA, RGAA). */
for (const target of TEST_TARGETS) {
  describe(`feedback dashboards per administration and ministry in a browser (${target})`, () => {
    let t: BrowserApp;
    let f: FeedbackFixture;
    before(async () => {
      t = await startBrowserApp(target);
      f = await createFeedbackFixture(t.db, 'axe-dash');
      let ip = 1;
      for (const satisfaction of ['good', 'medium', 'bad']) {
        const v = new Visitor(t.app, `10.8.0.${ip++}`);
        const s1 = await v.start(f.button.publicKey, { satisfaction });
        await v.step(String(s1.headers.location), { clarity: 'good', action: 'next' });
      }
    });
    after(async () => t?.close());

    test('feedback home → ministry → administration → procedure, sorted and filtered variants: axe, one h1, titles', async () => {
      const adminId = await createTestUser(t.db, 'axe-dashboards@vigie.test', [{ role: 'admin' }]);
      const context = await t.newContext();
      const problems: string[] = [];
      const check = async (page: Page, what: string) => {
        const violations = await runAxe(page);
        if (violations.length) problems.push(formatViolations(`${what} (${page.url()})`, violations));
        const facts = await page.evaluate(() => ({ h1: document.querySelectorAll('h1').length, title: document.title }));
        if (facts.h1 !== 1) problems.push(`${what}: ${facts.h1} h1`);
        if (!facts.title.endsWith(' – Vigie')) problems.push(`${what}: titre « ${facts.title} »`);
      };
      try {
        await signInContext(t, context, adminId);
        const page = await context.newPage();
        await page.goto('/avis');
        await check(page, 'accueil des avis');
        await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Ministère : Ministère de test 1' }).click()]);
        assert.match(page.url(), new RegExp(`/avis/ministeres/${f.catalog.ministries[0]}$`));
        await check(page, 'tableau de bord du ministère');
        await Promise.all([
          page.waitForLoadState('load'),
          page.getByRole('link', { name: /Satisfaction.*trier par ordre décroissant/ }).click(),
        ]);
        assert.equal(await page.locator('th[aria-sort="descending"]').count(), 1);
        await check(page, 'ministère, trié par satisfaction');
        await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Administration de test 1' }).first().click()]);
        assert.match(page.url(), new RegExp(`/avis/administrations/${f.catalog.administrations[0]}$`));
        await check(page, 'tableau de bord de l’administration');
        // The window filter works without JavaScript: a plain GET form.
        await page.fill('#champ-debut', '2001-01-01');
        await page.fill('#champ-fin', '2001-01-31');
        await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Filtrer' }).click()]);
        assert.match(await page.locator('main').innerText(), /0 avis/);
        await check(page, 'administration, période sans avis');
        await page.goto(`/avis/administrations/${f.catalog.administrations[0]}`);
        await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Démarche de test 1' }).click()]);
        await check(page, 'tableau de bord de la démarche (fil d’Ariane)');
        assert.equal(await page.locator(`.fr-breadcrumb a[href="/avis/administrations/${f.catalog.administrations[0]}"]`).count(), 1);
        assert.equal(problems.join('\n'), '');
      } finally {
        await context.close();
      }
    });
  });
}
