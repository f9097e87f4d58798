import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { formatViolations, runAxe, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';
import { seedDemo } from '../../demo/seed.ts';

const MODAL = '#aide-indicateur-satisfaction';

for (const target of TEST_TARGETS) {
  describe(`observatoire: indicator help modals in a browser (${target})`, () => {
    let t: BrowserApp;
    let ruleVersion: number;
    before(async () => {
      t = await startBrowserApp(target);
      await seedDemo(t.deps);
      ruleVersion = (await t.app.inject('/api/v1/editions/latest')).json().ruleSetVersion;
      assert.ok(Number.isInteger(ruleVersion));
    });
    after(async () => t?.close());

    test('a column header’s help opens with the keyboard, reads the indicator, closes with Escape and gives focus back', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/observatoire');
      const button = page.getByRole('button', { name: 'Aide : Satisfaction usagers', exact: true });
      // Wait for DSFR to take the button over (it marks the instances it drives).
      await page.waitForSelector(`button[aria-controls="${MODAL.slice(1)}"][data-fr-js-modal-button]`);
      assert.equal(await page.getByRole('link', { name: 'Aide : Satisfaction usagers' }).count(), 0, 'the link became a button');
      // Keyboard: Tab from the column's previous control reaches the help button.
      await page.getByRole('link', { name: 'Tri croissant par Réalisable en ligne' }).focus();
      let focused = false;
      for (let i = 0; i < 10 && !focused; i++) {
        await page.keyboard.press('Tab');
        focused = await button.evaluate((el) => el === document.activeElement);
      }
      assert.ok(focused, 'the help button is reachable with Tab');
      await page.keyboard.press('Enter');
      const dialog = page.locator(MODAL);
      await dialog.waitFor({ state: 'visible' });
      await page.waitForFunction((sel) => document.querySelector(sel)!.contains(document.activeElement), MODAL);
      assert.equal(await button.getAttribute('data-fr-opened'), 'true');
      const text = await dialog.innerText();
      assert.match(text, /Satisfaction usagers/);
      assert.match(text, /Méthode/);
      assert.match(text, new RegExp(`Niveaux \\(règles version ${ruleVersion}\\)`));
      assert.match(text, /Très bien \(vert\) à partir de 8 \/ 10 – objectif atteint/i);
      // The dialog is announced as such, named by its title.
      assert.equal(await page.getByRole('dialog', { name: 'Satisfaction usagers' }).count(), 1);
      // The modal fades in: colours are checked once its transitions are over.
      await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
      assert.equal(formatViolations('/observatoire (aide ouverte)', await runAxe(page)), '');

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-controls') === 'aide-indicateur-satisfaction');
      assert.equal(await button.getAttribute('data-fr-opened'), 'false');
      await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
      assert.equal(formatViolations('/observatoire (aide fermée)', await runAxe(page)), '');

      // The close button works too, and focus comes back the same way.
      await button.click();
      await dialog.waitFor({ state: 'visible' });
      await dialog.getByRole('button', { name: 'Fermer' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-controls') === 'aide-indicateur-satisfaction');

      // Sorting still works from the same header.
      await page.getByRole('link', { name: 'Tri croissant par Satisfaction usagers' }).click();
      await page.waitForURL(/tri=satisfaction/);
      const sorted = page.locator('th[aria-sort]');
      assert.equal(await sorted.getAttribute('aria-sort'), 'ascending');
      assert.equal(await sorted.getByRole('button', { name: 'Aide : Satisfaction usagers' }).count(), 1);
      await context.close();
    });

    test('on a small screen each card’s indicator opens the same modal, and focus comes back to that card', async () => {
      const context = await t.newContext({ viewport: { width: 375, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/observatoire');
      assert.equal(await page.locator('#tableau-observatoire').isVisible(), false, 'the cards stand in for the table');
      const secondCard = page.locator('.obs-cards > li').nth(1);
      assert.ok(await secondCard.isVisible());
      await page.waitForSelector(`.obs-cards button[aria-controls="${MODAL.slice(1)}"][data-fr-js-modal-button]`);
      const cardButtons = page.locator('.obs-cards').getByRole('button', { name: 'Aide : Satisfaction usagers', exact: true });
      assert.equal(await cardButtons.count(), await page.locator('.obs-cards > li').count(), 'one help button per card');
      assert.equal(await page.locator('.obs-cards').getByRole('link', { name: 'Aide : Satisfaction usagers' }).count(), 0);
      assert.equal(await page.locator(MODAL).count(), 1, 'the cards reuse the page’s modal');

      const button = secondCard.getByRole('button', { name: 'Aide : Satisfaction usagers', exact: true });
      await button.focus();
      await page.keyboard.press('Enter');
      const dialog = page.locator(MODAL);
      await dialog.waitFor({ state: 'visible' });
      await page.waitForFunction((sel) => document.querySelector(sel)!.contains(document.activeElement), MODAL);
      assert.match(await dialog.innerText(), new RegExp(`Niveaux \\(règles version ${ruleVersion}\\)`));
      assert.equal(await page.getByRole('dialog', { name: 'Satisfaction usagers' }).count(), 1);
      await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
      assert.equal(formatViolations('/observatoire, petit écran (aide ouverte)', await runAxe(page)), '');

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      // Focus goes back to the button of the card it was opened from, not to the first one with the same target.
      await page.waitForFunction(() => {
        const el = document.activeElement;
        return (
          el?.getAttribute('aria-controls') === 'aide-indicateur-satisfaction' &&
          el.closest('.obs-cards > li') === document.querySelectorAll('.obs-cards > li')[1]
        );
      });
      await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
      assert.equal(formatViolations('/observatoire, petit écran (aide fermée)', await runAxe(page)), '');

      // Another indicator's help in another card opens that indicator's modal.
      await page
        .locator('.obs-cards > li')
        .first()
        .getByRole('button', { name: /^Aide : / })
        .first()
        .click();
      const opened = page.locator('dialog.fr-modal--opened');
      await opened.waitFor({ state: 'visible' });
      assert.equal(await opened.count(), 1);
      await opened.getByRole('button', { name: 'Fermer' }).click();
      await opened.waitFor({ state: 'hidden' });
      await context.close();
    });

    test('without JavaScript the help control is a link to the indicator’s help, with the edition’s levels', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/observatoire');
      assert.equal(await page.getByRole('button', { name: 'Aide : Satisfaction usagers' }).count(), 0);
      assert.equal(await page.locator(MODAL).isVisible(), false, 'the modals stay hidden');
      await page.getByRole('link', { name: 'Aide : Satisfaction usagers', exact: true }).click();
      await page.waitForURL(new RegExp(`/observatoire/aide/indicateurs\\?regles=${ruleVersion}#indicateur-satisfaction$`));
      const heading = page.getByRole('heading', { name: 'Satisfaction usagers', level: 2 });
      assert.ok(await heading.isVisible());
      const section = page.locator('section[aria-labelledby="indicateur-satisfaction"]');
      assert.match(await section.innerText(), /Très bien \(vert\) à partir de 8 \/ 10/i);
      await context.close();
    });
  });
}
