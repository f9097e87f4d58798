import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { TEST_TARGETS } from '../helpers/db.ts';
import { NAV_ITEMS } from '../../src/kernel/web/navigation.ts';
import { signInContext, startBrowserApp, type BrowserApp } from './browser.ts';
import { createTestUser } from '../helpers/users.ts';

const FOOTER_LINKS = ['/plan-du-site', '/accessibilite', '/mentions-legales', '/donnees-personnelles'];

interface Stop {
  href: string | null;
  text: string;
  outlineVisible: boolean;
}

/** Presses Tab until focus leaves the page or comes back to the start; records each stop and whether its focus ring shows. */
async function tabThrough(page: Page, maxStops = 200): Promise<Stop[]> {
  const stops: Stop[] = [];
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      // DSFR draws the ring on the element, or on a ::before covering the whole card for enlarged links (fr-enlarge-link).
      // (No named helper function here: the code runs in the page, where tsx's __name helper does not exist.)
      const outlineVisible = [getComputedStyle(el), getComputedStyle(el, '::before'), getComputedStyle(el, '::after')].some(
        (style) =>
          (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || (style.boxShadow !== 'none' && style.boxShadow !== ''),
      );
      return { href: el.getAttribute('href'), text: (el.textContent ?? '').trim().replace(/\s+/g, ' '), outlineVisible };
    });
    if (!stop) break;
    if (stops.length > 0 && stop.text === stops[0].text && stop.href === stops[0].href) break;
    stops.push(stop);
  }
  return stops;
}

for (const target of TEST_TARGETS) {
  describe(`keyboard navigation (${target})`, () => {
    let t: BrowserApp;
    before(async () => {
      t = await startBrowserApp(target);
    });
    after(async () => t?.close());

    test('the first Tab stop is the « Contenu » skip link, and following it moves focus to the main content', async () => {
      const context = await t.newContext();
      const page = await context.newPage();
      await page.goto('/accessibilite');
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => ({
        text: document.activeElement?.textContent?.trim(),
        href: document.activeElement?.getAttribute('href'),
      }));
      assert.deepEqual(first, { text: 'Contenu', href: '#contenu' });
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'contenu');
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
      await context.close();
    });

    test('an anonymous visitor reaches the main navigation and the footer links with Tab, each with a visible focus', async () => {
      const context = await t.newContext();
      const page = await context.newPage();
      await page.goto('/');
      const stops = await tabThrough(page);
      const reached = new Set(stops.map((s) => s.href));
      const publicNav = NAV_ITEMS.filter((item) => item.visible(null)).map((item) => item.href);
      for (const href of [...publicNav, ...FOOTER_LINKS, '/connexion'])
        assert.ok(reached.has(href), `${href} not reached by Tab; stops: ${[...reached].join(' ')}`);
      const invisible = stops.filter((s) => !s.outlineVisible);
      assert.deepEqual(invisible, [], 'every focused element shows a focus ring');
      await context.close();
    });

    test('the steering admin reaches every back-office menu entry with Tab, each with a visible focus', async () => {
      const userId = await createTestUser(t.db, 'keyboard-admin@vigie.test', [{ role: 'admin' }]);
      const context = await t.newContext();
      await signInContext(t, context, userId);
      const page = await context.newPage();
      await page.goto('/');
      const stops = await tabThrough(page);
      const reached = new Set(stops.map((s) => s.href));
      for (const item of NAV_ITEMS) assert.ok(reached.has(item.href), `${item.href} not reached by Tab`);
      assert.ok(
        stops.some((s) => s.text === 'Se déconnecter'),
        'the sign-out button is reachable',
      );
      assert.deepEqual(
        stops.filter((s) => !s.outlineVisible),
        [],
        'every focused element shows a focus ring',
      );
      await context.close();
    });
  });
}
