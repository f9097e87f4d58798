import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { TEST_TARGETS } from '../helpers/db.ts';
import { createTestUser, TEST_PASSWORD } from '../helpers/users.ts';
import { startBrowserApp, type BrowserApp } from './browser.ts';
import { submitLogin } from './journey-steps.ts';

for (const target of TEST_TARGETS) {
  describe(`without JavaScript (${target})`, () => {
    let t: BrowserApp;
    let context: BrowserContext;
    before(async () => {
      t = await startBrowserApp(target);
      context = await t.newContext({ javaScriptEnabled: false });
    });
    after(async () => {
      await context?.close();
      await t?.close();
    });

    test('the home page renders with its navigation and footer', async () => {
      const page = await context.newPage();
      const response = await page.goto('/');
      assert.equal(response?.status(), 200);
      assert.equal(await page.title(), 'Accueil – Vigie');
      assert.equal(await page.locator('h1').count(), 1);
      assert.ok(await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Accueil' }).isVisible());
      assert.ok(await page.getByRole('contentinfo').getByRole('link', { name: 'Mentions légales' }).isVisible());
      await page.close();
    });

    test('a user signs in with the login form, and a wrong password gets the French error message', async () => {
      await createTestUser(t.db, 'sans-js@vigie.test', [{ role: 'admin' }], { displayName: 'Agathe Sans-Script' });
      const page = await context.newPage();
      await page.goto('/connexion');
      assert.equal(await page.title(), 'Connexion – Vigie');

      await submitLogin(page, 'sans-js@vigie.test', 'pas-le-bon-mot-de-passe');
      assert.equal(new URL(page.url()).pathname, '/connexion');
      assert.match(await page.locator('#echec-connexion').innerText(), /Adresse électronique ou mot de passe incorrect/);

      await submitLogin(page, 'sans-js@vigie.test', TEST_PASSWORD);
      assert.equal(new URL(page.url()).pathname, '/mes-demarches', 'signed in, the user lands on « Mes démarches »');
      assert.ok(await page.getByRole('link', { name: 'Agathe Sans-Script' }).isVisible(), 'the header shows the signed-in user');
      assert.ok(await page.getByRole('button', { name: 'Se déconnecter' }).isVisible());
      await page.close();
    });
  });
}
