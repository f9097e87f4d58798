import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';
import { seedCatalogDemo } from '../demo/seed.ts';
import { procedureId } from '../testing.ts';
import { createTestUser } from '../../../test/helpers/users.ts';
import { toCsv } from '../../kernel/spreadsheet/fixtures.ts';

/** Every catalogue page, in the states a crawl does not reach (form errors, import preview with errors), passes axe. */
for (const target of TEST_TARGETS) {
  describe(`catalogue pages pass axe (${target})`, () => {
    let t: BrowserApp;
    let dir: string;
    const problems: string[] = [];
    async function check(page: Page, what: string, expected?: string) {
      if (expected) assert.ok(await page.locator(expected).count(), `${what}: ${expected} expected on ${page.url()}`);
      const violations = await runAxe(page);
      if (violations.length) problems.push(formatViolations(`${what} (${page.url()})`, violations));
      const h1 = await page.locator('h1').count();
      if (h1 !== 1) problems.push(`${what}: ${h1} h1`);
    }
    const submit = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.locator(selector).first().click()]);

    before(async () => {
      t = await startBrowserApp(target);
      await seedCatalogDemo(t.db);
      dir = mkdtempSync(path.join(tmpdir(), 'vigie-axe-catalogue-'));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await t?.close();
    });

    test('list, detail, forms with errors, ministries, administrations, import and its preview', async () => {
      const adminId = await createTestUser(t.db, undefined, [{ role: 'admin' }]);
      const context = await t.newContext();
      await signInContext(t, context, adminId);
      const page = await context.newPage();
      try {
        await page.goto('/catalogue');
        await check(page, 'liste', 'table');
        await page.goto('/catalogue?statut=oui&public=particuliers&tri=titre&ordre=desc&page=2');
        await check(page, 'liste filtrée, page 2', 'nav.fr-pagination');
        await page.goto('/catalogue?q=aucun-resultat-possible');
        await check(page, 'liste vide');
        await page.goto(`/catalogue/demarches/${await procedureId(t.db, 'ants-immatriculation-autres-demandes')}`);
        await check(page, 'détail', 'dl');
        await page.goto('/catalogue/demarches/nouvelle');
        await check(page, 'création');
        await page.fill('#champ-url', 'pas une adresse');
        await page.fill('#champ-volume_total', 'beaucoup');
        await page.fill('#champ-help_value_0', 'sans type');
        await submit(page, 'main form button[type="submit"]:not([name])');
        await check(page, 'création, erreurs', '#resume-erreurs');
        await submit(page, 'main form button[name="_action"]');
        await check(page, 'création, ligne de canal ajoutée', '#champ-help_kind_2');
        await page.goto(`/catalogue/demarches/${await procedureId(t.db, 'dgfip-paiement-amendes')}/modifier`);
        await check(page, 'modification');
        await page.goto('/catalogue/ministeres');
        await check(page, 'ministères', 'table');
        await page.goto('/catalogue/ministeres/nouveau');
        await submit(page, 'main form button[type="submit"]');
        await check(page, 'ministère, erreurs', '#resume-erreurs');
        await page.goto('/catalogue/administrations');
        await check(page, 'administrations', 'table');
        await page.goto('/catalogue/administrations/nouvelle');
        await submit(page, 'main form button[type="submit"]');
        await check(page, 'administration, erreurs', '#resume-erreurs');
        await page.goto('/catalogue/import');
        await check(page, 'import');
        const bad = path.join(dir, 'erreurs.csv');
        writeFileSync(
          bad,
          toCsv([
            ['Identifiant', 'Intitulé', 'Administration'],
            ['Mauvais', '', 'inconnue'],
            ['ants-nouvelle', 'Nouvelle', 'ants'],
          ]),
        );
        await page.setInputFiles('#champ-fichier', bad);
        await submit(page, 'main form button[type="submit"]');
        await check(page, 'aperçu avec erreurs', 'td');
        const good = path.join(dir, 'bon.csv');
        writeFileSync(
          good,
          toCsv([
            ['Identifiant', 'Intitulé', 'Administration'],
            ['ants-nouvelle', 'Nouvelle', 'ants'],
          ]),
        );
        await page.goto('/catalogue/import');
        await page.setInputFiles('#champ-fichier', good);
        await submit(page, 'main form button[type="submit"]');
        await check(page, 'aperçu sans erreur');
        await submit(page, 'main form[action$="/confirmer"] button[type="submit"]');
        await check(page, 'import enregistré');
        assert.equal(
          (await t.db.query(`SELECT 1 FROM procedures WHERE stable_id = 'ants-nouvelle'`)).rows.length,
          1,
          'the browser journey imported the file',
        );
        // An update: the preview lists each changed cell as before → after.
        const update = path.join(dir, 'modification.csv');
        writeFileSync(
          update,
          toCsv([
            ['Identifiant', 'Intitulé', 'Canaux d’aide'],
            ['ants-nouvelle', 'Nouvelle démarche', 'telephone | Accueil | 34 00 | 9h-17h'],
          ]),
        );
        await page.goto('/catalogue/import');
        await page.setInputFiles('#champ-fichier', update);
        await submit(page, 'main form button[type="submit"]');
        await check(page, 'aperçu avant → après', '.vigie-diffs');
        await page.goto(`/catalogue/demarches/${await procedureId(t.db, 'ants-nouvelle')}`);
        await check(page, 'détail avec historique', 'table');
        const windows = path.join(dir, 'windows.csv');
        writeFileSync(windows, Buffer.from('Identifiant;Intitulé\nx;Démarche\n', 'latin1'));
        await page.goto('/catalogue/import');
        await page.setInputFiles('#champ-fichier', windows);
        await submit(page, 'main form button[type="submit"]');
        await check(page, 'import, fichier refusé', '#champ-fichier-erreur');
      } finally {
        await context.close();
      }
      assert.deepEqual(problems, [], problems.join('\n\n'));
    });
  });
}
