import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { formatViolations, runAxe, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';

/** The pages an agent sees when the OIDC sign-in cannot go through, in a real browser, checked with axe-core. */
for (const target of TEST_TARGETS) {
  describe(`OIDC refusal and error pages (${target})`, () => {
    let t: BrowserApp;
    before(async () => {
      // Port 9 (discard) on loopback: nothing answers there, as when ProConnect is unreachable.
      t = await startBrowserApp(target, {
        config: {
          oidc: { issuer: 'http://127.0.0.1:9', clientId: 'vigie', clientSecret: 'secret', label: 'ProConnect', scopes: 'openid email' },
        },
      });
    });
    after(async () => t?.close());

    for (const [name, path, status, text] of [
      ['a refused sign-in', '/connexion/oidc/retour?code=abc&state=def', 400, 'Connexion refusée'],
      ['an unreachable provider', '/connexion/oidc', 503, 'ProConnect est indisponible'],
      ['an unknown logout return', '/connexion/oidc/deconnecte?state=abc', 400, 'Déconnexion non reconnue'],
    ] as const) {
      test(`the page for ${name} explains it in French and passes axe`, async () => {
        const context = await t.newContext();
        try {
          const page = await context.newPage();
          const response = await page.goto(path);
          assert.equal(response?.status(), status);
          assert.equal(await page.locator('h1').innerText(), text);
          assert.match(await page.title(), / – Vigie$/);
          const violations = await runAxe(page);
          assert.equal(violations.length, 0, formatViolations(path, violations));
        } finally {
          await context.close();
        }
      });
    }
  });
}
