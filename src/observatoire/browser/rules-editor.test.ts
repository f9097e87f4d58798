import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';
import { createTestUser } from '../../../test/helpers/users.ts';
import { seedDemo } from '../../demo/seed.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire rules editor in a browser (${target})`, () => {
    let t: BrowserApp;
    before(async () => {
      t = await startBrowserApp(target);
      await seedDemo(t.deps);
    });
    after(async () => t?.close());

    test('add a level, see the error next to its field, remove it, preview; Enter never saves; axe finds nothing', async () => {
      const versions = async () => Number((await t.db.query('SELECT count(*) AS n FROM obs_rule_sets')).rows[0].n);
      const before = await versions();
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      await signInContext(t, context, await createTestUser(t.db, 'regles@vigie.test', [{ role: 'admin' }]));
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const problems: string[] = [];
      await page.goto('/observatoire/admin/regles');
      problems.push(formatViolations('règles', await runAxe(page)));

      await page.locator('#champ-satisfaction-max').fill('9,5');
      await page.getByRole('button', { name: 'Ajouter un niveau à Satisfaction usagers' }).click();
      await page.waitForURL(/#regles-satisfaction$/);
      assert.equal(await page.locator('#champ-satisfaction-3-label').inputValue(), '');
      assert.equal(await page.locator('#champ-satisfaction-max').inputValue(), '9,5', 'what was typed is kept');

      await page.getByLabel('Libellé').and(page.locator('#champ-satisfaction-3-label')).fill('Parfait');
      await page.locator('#champ-satisfaction-3-from').fill('9,8');
      await page.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('#resume-erreurs').innerText(), /Le seuil doit être dans les bornes de l’indicateur \(de 0 à 9,5\)/);
      assert.match(await page.locator('#champ-satisfaction-3-from-erreur').innerText(), /dans les bornes/);
      assert.equal(await page.locator('#champ-satisfaction-3-from').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#champ-satisfaction-3-from').inputValue(), '9,8');
      problems.push(formatViolations('règles (erreurs)', await runAxe(page)));

      // DSFR draws the box over the input: the label is what a user clicks.
      await page.locator('label[for="champ-satisfaction-3-remove"]').click();
      assert.ok(await page.locator('#champ-satisfaction-3-remove').isChecked());
      // Enter in a field submits the form's first button: the preview.
      await page.locator('#champ-satisfaction-max').press('Enter');
      await page.waitForURL(/#apercu$/);
      await page.waitForLoadState('load');
      assert.equal(await page.locator('#resume-erreurs').count(), 0);
      assert.equal(await page.locator('#champ-satisfaction-3-label').count(), 0, 'the level was removed');
      assert.match(await page.locator('#apercu caption').innerText(), /Effet des règles proposées/);
      problems.push(formatViolations('règles (aperçu)', await runAxe(page)));

      assert.equal(problems.filter(Boolean).join('\n'), '');
      assert.equal(await versions(), before, 'nothing saved');
      await context.close();
    });
  });
}
