import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, signedInClient } from '../../../test/helpers/users.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';

for (const target of TEST_TARGETS) {
  describe(`answer exports (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let reader: TestClient;

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'exp');
      const v = new Visitor(t.app, '10.4.0.1');
      const s1 = await v.start(f.button.publicKey, { satisfaction: 'good' });
      const s2 = await v.step(String(s1.headers.location), { action: 'skip' });
      const help = await v.step(String(s2.headers.location), {
        help_tried: ['phone', 'websites'],
        help_reached_phone: 'yes',
        help_quality_phone: 'excellent',
        shown: 'help_reached_phone,help_quality_phone',
        action: 'next',
      });
      await v.step(String(help.headers.location), { verbatim: 'Très bien ; merci', action: 'next' });
      await new Visitor(t.app, '10.4.0.2').start(f.button.publicKey, { satisfaction: 'bad' });
      await createTestUser(t.db, 'export@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: f.catalog.procedures[0] }]);
      reader = await signedInClient(t.app, 'export@exemple.gouv.fr', undefined, '10.4.1.1');
    });
    after(async () => t.close());

    test('CSV: one row per review, one column per question, progress, download link and e-mail', async () => {
      await reader.get(`/avis/formulaires/${f.formId}/reponses`);
      const res = await reader.post(`/avis/formulaires/${f.formId}/exports?verbatim=avec`, { format: 'csv' });
      assert.equal(res.statusCode, 303);
      const page = await reader.get(String(res.headers.location));
      assert.match(page.body, /Prêt/);
      assert.match(page.body, /1 avis sur 1/);
      const file = await reader.get(`${res.headers.location}/fichier`);
      assert.match(String(file.headers['content-disposition']), /attachment; filename="avis-formulaire-\d+-[\d-]+\.csv"/);
      const rows: Record<string, string>[] = parse(file.body.replace(/^\uFEFF/, ''), { columns: true, delimiter: ';' });
      assert.equal(rows.length, 1);
      assert.equal(rows[0].satisfaction, 'good');
      assert.equal(rows[0].clarity, '');
      assert.equal(rows[0].help_tried, 'phone|websites');
      assert.equal(rows[0].help_reached_phone, 'yes');
      assert.equal(rows[0].help_quality_phone, 'excellent');
      assert.equal(rows[0].verbatim, 'Très bien ; merci');
      assert.ok(
        t.mails.some(
          (m) => m.to === 'export@exemple.gouv.fr' && /est prêt/.test(m.subject) && m.text.includes(String(res.headers.location)),
        ),
      );
    });

    test('XLSX with every review; nobody else can download an export', async () => {
      const res = await reader.post(`/avis/formulaires/${f.formId}/exports`, { format: 'xlsx' });
      const file = await reader.request({ method: 'GET', url: `${res.headers.location}/fichier` });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.rawPayload as any);
      const sheet = workbook.getWorksheet('Avis')!;
      assert.equal(sheet.rowCount, 3);
      assert.equal(sheet.getRow(1).getCell(6).value, 'satisfaction');
      await createTestUser(t.db, 'autre@exemple.gouv.fr', [{ role: 'admin' }]);
      const other = await signedInClient(t.app, 'autre@exemple.gouv.fr', undefined, '10.4.1.2');
      assert.equal((await other.get(`${res.headers.location}/fichier`)).statusCode, 404);
    });
  });
}
