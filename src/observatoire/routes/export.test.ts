import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire exports (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let edition: number;
    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 30 });
      await setLiveValues(
        t.db,
        f.procedures,
        'satisfaction',
        Array.from({ length: 30 }, (_, i) => (i % 7 === 0 ? 'avis_insuffisants' : (i % 11) + 0.5)),
      );
      edition = await createDraft(t.db, { name: 'Été', period: 'T3', windowStart: '2026-07-01', windowEnd: '2026-09-30' }, null);
      await publishEdition(t.db, edition, null);
    });
    after(async () => t.close());

    test('CSV: UTF-8, documented header, raw values and labels, exactly the filtered rows in the chosen order', async () => {
      const res = await t.app.inject(`/observatoire/editions/${edition}/export.csv?q=ecologique&tri=satisfaction&ordre=desc`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/csv; charset=utf-8/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="observatoire-edition-\d+\.csv"/);
      const records = parse(res.rawPayload, { columns: true, bom: true }) as Record<string, string>[];
      assert.equal(records.length, 10);
      assert.ok(records.every((r) => r.demarche.endsWith('écologique')));
      const values = records.map((r) => r.satisfaction_valeur);
      const numbers = values.filter((v) => v !== 'avis_insuffisants').map(Number);
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => b - a),
      );
      assert.equal(values.at(-1), 'avis_insuffisants', 'gray values come last');
      const gray = records.at(-1)!;
      assert.equal(gray.satisfaction_niveau, "Nombre d'avis insuffisant");
      assert.equal(gray.satisfaction_objectif_atteint, '');
      assert.ok(['true', 'false'].includes(records[0].satisfaction_objectif_atteint));
      assert.equal(records[0].online_valeur, 'oui');
    });

    test('the export has every row even beyond one page of the table', async () => {
      const res = await t.app.inject(`/observatoire/editions/${edition}/export.csv`);
      const records = parse(res.rawPayload, { columns: true, bom: true }) as Record<string, string>[];
      assert.equal(records.length, 30);
    });

    test('JSON: the same rows as objects', async () => {
      const res = await t.app.inject(`/observatoire/editions/${edition}/export.json?en_ligne=non`);
      const rows = res.json();
      assert.equal(rows.length, 7);
      assert.ok(rows.every((r: any) => r.indicators.online.value === 'non'));
    });

    test('XLSX: a readable workbook with the rows and a sheet describing the columns', async () => {
      const res = await t.app.inject(`/observatoire/editions/${edition}/export.xlsx?administration=${f.administrations[0]}`);
      assert.equal(res.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as any);
      const sheet = wb.getWorksheet('Démarches')!;
      assert.equal(sheet.rowCount, 16);
      assert.equal(sheet.getRow(1).getCell(4).value, 'demarche');
      assert.ok(wb.getWorksheet('Colonnes')!.rowCount > 40);
    });

    test('an unknown format or edition is a 404', async () => {
      assert.equal((await t.app.inject(`/observatoire/editions/${edition}/export.pdf`)).statusCode, 404);
      assert.equal((await t.app.inject('/observatoire/editions/999/export.csv')).statusCode, 404);
    });
  });
}
