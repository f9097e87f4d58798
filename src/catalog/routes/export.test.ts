import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { seedCatalogDemo } from '../demo/seed.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { readTableFile } from '../../kernel/spreadsheet/read-file.ts';
import { planImport } from '../import/plan.ts';

const DANGEROUS = ['=HYPERLINK("http://pirate.example","clic")', '+33 1 23', '-2+3', '@SUM(A1)', '\tTabulé', '\rRetour'];

for (const target of TEST_TARGETS) {
  describe(`catalogue export (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(target);
      await seedCatalogDemo(t.db);
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
      const ants = (await t.db.query<{ id: number }>(`SELECT id FROM administrations WHERE code = 'ants'`)).rows[0].id;
      await t.db.query(
        `INSERT INTO procedures (stable_id, slug, title, description, administration_id, help_channels, volume_total)
         VALUES ('ants-formule', 'ants-formule', $1, $2, $3, $4::jsonb, 12)`,
        [DANGEROUS[0], DANGEROUS[1], ants, JSON.stringify([{ kind: 'autre', label: DANGEROUS[2], value: DANGEROUS[3], hours: '' }])],
      );
    });
    after(async () => t.close());

    test('CSV follows the filters and neutralises cells that a spreadsheet would run as formulas', async () => {
      const res = await admin.get('/catalogue/export.csv?administration=ants');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="catalogue-\d{4}-\d{2}-\d{2}\.csv"/);
      const records: string[][] = parse(res.body, { delimiter: ';', bom: true });
      assert.equal(records[0][0], 'Identifiant');
      const { rows } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE a.code = 'ants' AND p.archived_at IS NULL`,
      );
      assert.equal(records.length - 1, rows[0].n);
      assert.ok(records.slice(1).every((r) => r[4] === 'ants'));
      const row = records.find((r) => r[0] === 'ants-formule')!;
      assert.equal(row[1], `'${DANGEROUS[0]}`);
      assert.equal(row[3], `'${DANGEROUS[1]}`);
      for (const cell of records.flat()) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, cell);
    });

    test('XLSX holds the same rows, numbers as numbers, formulas neutralised', async () => {
      const res = await admin.get('/catalogue/export.xlsx?q=formule');
      assert.equal(res.statusCode, 200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as any);
      const sheet = workbook.worksheets[0];
      assert.equal(sheet.getRow(1).getCell(1).value, 'Identifiant');
      assert.equal(sheet.rowCount, 2);
      const row = sheet.getRow(2);
      assert.equal(row.getCell(1).value, 'ants-formule');
      assert.equal(row.getCell(2).value, `'${DANGEROUS[0]}`);
      assert.equal(row.getCell(10).value, 12);
    });

    test('an export is limited to the user’s scope', async () => {
      const member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administration: 'cnav' }]);
      const records: string[][] = parse((await member.get('/catalogue/export.csv')).body, { delimiter: ';', bom: true });
      assert.ok(records.length > 1);
      assert.ok(records.slice(1).every((r) => r[4] === 'cnav'));
    });

    test('the export re-imports as is: every row unchanged, formulas included', async () => {
      for (const format of ['csv', 'xlsx'] as const) {
        const res = await admin.get(`/catalogue/export.${format}`);
        const { table } = await readTableFile(res.rawPayload, `catalogue.${format}`);
        const plan = await planImport(t.db, null, table);
        assert.deepEqual(plan.errors, [], format);
        assert.equal(plan.counts.unchanged, 253, format);
        assert.equal(plan.counts.create + plan.counts.update, 0, format);
      }
    });
  });
}
