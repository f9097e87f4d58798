import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../test/browser/browser.ts';
import { createTestUser } from '../../test/helpers/users.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`monitoring pages in a browser, axe (${target})`, () => {
    let t: BrowserApp;
    let c: TestCatalog;
    let editor: number;
    before(async () => {
      t = await startBrowserApp(target);
      c = await createTestCatalog(t.db, { prefix: 'monaxe' });
      editor = await createTestUser(t.db, 'axe-surveillance@vigie.test', [{ role: 'procedure_editor', procedureId: c.procedures[0] }]);
      const now = Date.now();
      const { rows } = await t.db.query(
        `INSERT INTO monitoring_targets (procedure_id, kind, url, label, monitored_since) VALUES ($1, 'start', 'https://demarche.example/', 'Accueil', $2) RETURNING id`,
        [c.procedures[0], new Date(now - 40 * 86_400_000)],
      );
      await t.db.query(
        `INSERT INTO monitoring_incidents (target_id, started_at, ended_at, cause) VALUES ($1, $2, $3, '5xx'), ($1, $4, NULL, 'timeout')`,
        [rows[0].id, new Date(now - 5 * 86_400_000), new Date(now - 5 * 86_400_000 + 3600_000), new Date(now - 600_000)],
      );
      await t.db.query(
        `INSERT INTO monitoring_maintenance (procedure_id, starts_at, ends_at, recurrence, label) VALUES ($1, $2, $3, 'weekly', 'Mise à jour')`,
        [c.procedures[0], new Date(now - 3 * 86_400_000), new Date(now - 3 * 86_400_000 + 3600_000)],
      );
      const scan = await t.db.query(
        `INSERT INTO monitoring_scans (target_id, procedure_id, page_url, location, declaration_mention) VALUES ($1, $2, 'https://demarche.example/', 'paris', 'non') RETURNING id`,
        [rows[0].id, c.procedures[0]],
      );
      await t.db.query(
        `INSERT INTO monitoring_scan_findings (scan_id, criterion, tests, verdict, rule_id, message, elements) VALUES ($1, '1.1', '{1.1.1}', 'non-conforme', 'image-alt', 'Images', '[]')`,
        [scan.rows[0].id],
      );
      // A declaration held by Vigie that the page's mention (« non conforme ») contradicts: the mismatch alert is crawled too.
      const published = {
        conformity: { label: 'partiellement_conforme' },
        results: { rate: 60, exactRate: 60.2 },
        establishment: { establishedOn: '2026-03-03', updatedOn: '2026-03-03' },
      };
      await t.db.query(
        `INSERT INTO accessibility_declarations (procedure_id, published, published_at, first_published_at) VALUES ($1, $2, now(), now())`,
        [c.procedures[0], JSON.stringify(published)],
      );
    });
    after(() => t.close());

    test('the public status page and the back-office page have no axe violation (WCAG 2.2 AA + RGAAv4)', async () => {
      const context = await t.newContext();
      await signInContext(t, context, editor);
      const page = await context.newPage();
      for (const path of [`/disponibilite/${c.procedureStableIds[0]}`, `/surveillance/demarches/${c.procedures[0]}`]) {
        const response = await page.goto(path);
        assert.equal(response?.status(), 200, path);
        if (path.startsWith('/surveillance')) assert.match(await page.content(), /Écart avec la déclaration de Vigie/);
        const violations = await runAxe(page);
        assert.deepEqual(violations, [], formatViolations(path, violations));
      }
      // The day-by-day table opens without JavaScript (details/summary).
      await page.goto(`/disponibilite/${c.procedureStableIds[0]}`);
      await page.getByText('Tableau jour par jour').click();
      assert.equal(await page.locator('details table tbody tr').count(), 90);
      await context.close();
    });
  });
}
