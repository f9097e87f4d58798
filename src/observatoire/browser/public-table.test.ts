import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';
import { createTestUser } from '../../../test/helpers/users.ts';
import { seedDemo } from '../../demo/seed.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire in a browser (${target})`, () => {
    let t: BrowserApp;
    let stableId: string;
    let ministryId: number;
    let administrationId: number;
    let editionId: number;
    let draftId: number;
    before(async () => {
      t = await startBrowserApp(target);
      await seedDemo(t.deps);
      const first = (await t.app.inject('/api/v1/editions/latest/procedures?par_page=1')).json();
      stableId = first.items[0].stableId;
      ministryId = first.items[0].ministry.id;
      administrationId = first.items[0].administration.id;
      editionId = first.edition.id;
      draftId = Number((await t.db.query(`SELECT id FROM obs_editions WHERE status = 'draft' LIMIT 1`)).rows[0].id);
    });
    after(async () => t?.close());

    test('every public page of the observatoire passes axe-core (WCAG 2.2 AA, RGAA) with zero violations', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const urls = [
        '/observatoire',
        '/observatoire?q=impot&tri=satisfaction&ordre=desc',
        '/observatoire?indicateur=uptime&niveau=red&par_page=10&page=2',
        '/observatoire?tri=inconnu',
        '/observatoire/editions',
        `/observatoire/editions/${editionId}`,
        '/observatoire/comparaison?indicateur=satisfaction',
        '/observatoire/tableaux-de-bord',
        `/observatoire/tableaux-de-bord/ministeres/${ministryId}`,
        `/observatoire/tableaux-de-bord/administrations/${administrationId}`,
        '/observatoire/tableaux-de-bord/categories/particuliers',
        `/observatoire/demarches/${stableId}`,
        '/observatoire/aide',
        '/observatoire/aide/indicateurs',
        '/observatoire/aide/donnees',
        '/api/docs',
      ];
      const problems: string[] = [];
      let manualMarks = 0;
      for (const url of urls) {
        await page.goto(url);
        problems.push(formatViolations(url, await runAxe(page)));
        manualMarks += await page.locator('.obs-manual').count();
        const h1 = await page.locator('h1').count();
        if (h1 !== 1) problems.push(`${url}: ${h1} h1`);
      }
      assert.equal(problems.filter(Boolean).join('\n'), '');
      // The demo's typed « handicap », « uptime » and « performance » values: the « saisie manuelle » marks were scanned too.
      assert.ok(manualMarks > 0, 'some « saisie manuelle » marks on the pages scanned');
      // Small screens: the same page (cards instead of the table) passes too.
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto('/observatoire');
      assert.equal(formatViolations('/observatoire (mobile)', await runAxe(page)), '');
      await context.close();
    });

    test('back-office pages of the observatoire pass axe-core too', async () => {
      const adminId = await createTestUser(t.db, 'obs-admin@vigie.test', [{ role: 'admin' }]);
      const context = await t.newContext();
      await signInContext(t, context, adminId);
      const page = await context.newPage();
      const problems: string[] = [];
      const { rows } = await t.db.query('SELECT id FROM procedures WHERE in_scope ORDER BY id LIMIT 1');
      for (const url of [
        '/observatoire/admin',
        '/observatoire/admin/regles',
        `/observatoire/admin/editions/${draftId}`,
        `/observatoire/admin/editions/${editionId}`,
        '/observatoire/admin/valeurs',
        `/observatoire/admin/valeurs/${rows[0].id}`,
        '/observatoire/admin/valeurs/import',
      ]) {
        await page.goto(url);
        problems.push(formatViolations(url, await runAxe(page)));
      }
      // A form in error (messages next to the fields) passes as well.
      await page.goto('/observatoire/admin');
      await page.getByRole('button', { name: 'Créer le brouillon' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('#champ-name-erreur').innerText(), /Donnez un nom/);
      problems.push(formatViolations('/observatoire/admin (erreurs)', await runAxe(page)));
      assert.equal(problems.filter(Boolean).join('\n'), '');
      await context.close();
    });

    test('filters are submitted as a shareable URL and narrow the table', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto('/observatoire');
      const all = await page.locator('#tableau-observatoire tbody tr').count();
      await page.getByRole('combobox', { name: 'Réalisable en ligne', exact: true }).selectOption('non');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/en_ligne=non/);
      const rows = page.locator('#tableau-observatoire tbody tr');
      const filtered = await rows.count();
      assert.ok(filtered > 0 && filtered < all, `${filtered} of ${all}`);
      const onlineCells = await rows.locator('td:nth-child(3)').allInnerTexts();
      assert.ok(
        onlineCells.every((c) => /^non\b/i.test(c.trim())),
        onlineCells.join('|'),
      );
      // The URL alone reproduces the view.
      const other = await context.newPage();
      await other.goto(page.url());
      assert.equal(await other.locator('#tableau-observatoire tbody tr').count(), filtered);
      await context.close();
    });

    test('sorting with the keyboard: Tab to a column’s sort link, Enter, and aria-sort follows', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto('/observatoire');
      const target = page.getByRole('link', { name: 'Tri croissant par Satisfaction usagers' });
      let focused = false;
      for (let i = 0; i < 300 && !focused; i++) {
        await page.keyboard.press('Tab');
        focused = await target.evaluate((el) => el === document.activeElement);
      }
      assert.ok(focused, 'the sort link is reachable with Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(/tri=satisfaction/);
      const header = page.locator('th[aria-sort]');
      assert.equal(await header.count(), 1);
      assert.equal(await header.getAttribute('aria-sort'), 'ascending');
      assert.match(await header.innerText(), /Satisfaction/);
      await page.getByRole('link', { name: 'Tri décroissant par Satisfaction usagers' }).click();
      await page.waitForURL(/ordre=desc/);
      assert.equal(await page.locator('th[aria-sort]').getAttribute('aria-sort'), 'descending');
      await context.close();
    });

    test('a screen reader meets the heading, the filters, then the table with its caption, column headers and row headers, in that order', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto('/observatoire');
      const tree = await page.locator('main').ariaSnapshot();
      const order = [
        'heading "Observatoire de la qualité des démarches en ligne" [level=1]',
        'heading "Filtrer les démarches" [level=2]',
        'searchbox "Rechercher une démarche',
        'button "Filtrer"',
        'heading "Résultats" [level=2]',
        'table "Démarches de l’édition',
        'columnheader "Démarche',
        'columnheader "Satisfaction',
        'rowheader',
      ].map((needle) => [needle, tree.indexOf(needle)] as const);
      for (const [needle, at] of order) assert.ok(at >= 0, `« ${needle} » absent of the accessibility tree`);
      for (let i = 1; i < order.length; i++)
        assert.ok(order[i][1] > order[i - 1][1], `« ${order[i][0]} » should come after « ${order[i - 1][0]} »`);
      // On a small screen the table is hidden from everyone (not only visually) and the cards take its place.
      await page.setViewportSize({ width: 375, height: 800 });
      const small = await page.locator('main').ariaSnapshot();
      assert.ok(!small.includes('table "Démarches'), 'no table on small screens');
      assert.ok(await page.locator('.obs-cards .fr-card').first().isVisible());
      await context.close();
    });
  });
}
