import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../test/browser/browser.ts';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestUser } from '../../test/helpers/users.ts';
import { seedCatalogDemo } from '../catalog/index.ts';
import { seedSupportDemo, VEHICLE_REGISTRATION } from './demo/seed.ts';

for (const target of TEST_TARGETS) {
  describe(`support pages in a browser (${target})`, () => {
    let t: BrowserApp;
    let procedureId: number;
    let adminId: number;
    before(async () => {
      t = await startBrowserApp(target);
      await seedCatalogDemo(t.db);
      await seedSupportDemo(t.db, '2026-12-03');
      procedureId = Number((await t.db.query('SELECT id FROM procedures WHERE stable_id = $1', [VEHICLE_REGISTRATION])).rows[0].id);
      adminId = await createTestUser(t.db, undefined, [{ role: 'admin' }]);
    });
    after(() => t?.close());

    test('« Obtenir de l’aide » without JavaScript and with the keyboard alone: search, choose, nearest list', {
      timeout: 120_000,
    }, async () => {
      const context = await t.newContext({ javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        await page.goto(`/aide/demarches/${procedureId}`);
        assert.equal(
          await page.locator('h1').textContent(),
          'Obtenir de l’aide : Autres demandes concernant l’immatriculation des véhicules',
        );
        // Tab to the commune field, as a keyboard user would.
        let reached = false;
        for (let i = 0; i < 80 && !reached; i++) {
          await page.keyboard.press('Tab');
          reached = await page.evaluate(() => document.activeElement?.id === 'commune');
        }
        assert.ok(reached, 'the commune field is reachable with Tab');
        await page.keyboard.type('Saint-Denis');
        await Promise.all([page.waitForURL(/commune=Saint-Denis/), page.keyboard.press('Enter')]);
        assert.match((await page.locator('main').textContent()) ?? '', /Plusieurs communes correspondent/);
        // Choose the commune of Seine-Saint-Denis with the keyboard: focus its link, Enter.
        await page.locator('a[href*="commune=93066"]').focus();
        await Promise.all([page.waitForURL(/commune=93066/), page.keyboard.press('Enter')]);
        const rows = page.locator('#resultats tbody tr');
        assert.equal(await rows.count(), 10);
        const distances = await page.locator('#resultats tbody tr td:first-child').allTextContents();
        const km = distances.map((d) =>
          d.endsWith(' km') ? Number(d.replace(/\s|km/g, '').replace(',', '.')) : Number(d.replace(/\s|m/g, '')) / 1000,
        );
        assert.deepEqual(
          [...km].sort((a, b) => a - b),
          km,
          'nearest first',
        );
        assert.ok(km[0] < 15, `the nearest point is close to Saint-Denis (${km[0]} km)`);
        // An unknown commune: the message is tied to the field.
        await page.goto(`/aide/demarches/${procedureId}?commune=Xyzzyville`);
        assert.equal(await page.locator('#commune').getAttribute('aria-invalid'), 'true');
        assert.equal(await page.locator('#commune-erreur').count(), 1);
      } finally {
        await context.close();
      }
    });

    // axe runs its checks with timers, which a page without JavaScript does not run: the same pages in a normal context.
    test('« Obtenir de l’aide »: axe finds no violation (empty, choices, results, error)', { timeout: 120_000 }, async () => {
      const context = await t.newContext();
      try {
        const page = await context.newPage();
        for (const query of ['', '?commune=Saint-Denis', '?commune=93066', '?commune=Xyzzyville']) {
          await page.goto(`/aide/demarches/${procedureId}${query}`);
          const violations = await runAxe(page);
          assert.equal(violations.length, 0, formatViolations(page.url(), violations));
        }
      } finally {
        await context.close();
      }
    });

    test('back-office pages: axe finds no violation (support page with charts, channels form, help points, point form)', {
      timeout: 180_000,
    }, async () => {
      const context = await t.newContext();
      try {
        await signInContext(t, context, adminId);
        const page = await context.newPage();
        const pointId = Number((await t.db.query('SELECT id FROM support_points ORDER BY id LIMIT 1')).rows[0].id);
        for (const url of [
          '/support',
          `/support/demarches/${procedureId}`,
          `/support/demarches/${procedureId}/canaux`,
          '/lieux-aide',
          '/lieux-aide/nouveau',
          `/lieux-aide/${pointId}`,
        ]) {
          const res = await page.goto(url);
          assert.equal(res?.status(), 200, url);
          const violations = await runAxe(page);
          assert.equal(violations.length, 0, formatViolations(url, violations));
        }
        await page.goto(`/support/demarches/${procedureId}`);
        assert.match((await page.locator('main').textContent()) ?? '', /2 729 737 appels et courriels|Contacts pour 1 000 démarches/);
      } finally {
        await context.close();
      }
    });
  });
}
