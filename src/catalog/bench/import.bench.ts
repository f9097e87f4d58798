/**
 * Times the import of a 10 MB / 10 000-row CSV through the web (upload + dry run, then confirmation) and the
 * export of the result, on PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL.
 * Run: node --import tsx src/catalog/bench/import.bench.ts
 */
import { randomBytes } from 'node:crypto';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp } from '../../../test/helpers/app.ts';
import { seedCatalogDemo } from '../demo/seed.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { toCsv, type Sheet } from '../../kernel/spreadsheet/fixtures.ts';

const padding = 'Texte de description qui grossit le fichier comme une vraie fiche. '.repeat(14);
const rows: Sheet = [
  ['Identifiant', 'Intitulé', 'Administration', 'Description', 'Volume annuel total', 'Volume annuel en ligne', 'Publics', 'Canaux d’aide'],
];
for (let i = 0; i < 10_000; i++) {
  rows.push([
    `bench-${i}`,
    `Démarche ${i}`,
    i % 2 ? 'cnaf' : 'urssaf',
    padding,
    5000 + i,
    4000 + i,
    'particuliers',
    'telephone | Accueil | 39 39 | 9 h - 17 h',
  ]);
}
const csv = toCsv(rows);

for (const target of TEST_TARGETS) {
  const t = await createTestApp(target);
  await seedCatalogDemo(t.db);
  const client = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
  await client.get('/catalogue/import');
  const boundary = `----bench${randomBytes(6).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="bench.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    csv,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const start = performance.now();
    const value = await fn();
    return [value, Math.round(performance.now() - start)];
  };
  const [upload, previewMs] = await time(() =>
    client.request({
      method: 'POST',
      url: `/catalogue/import?_csrf=${encodeURIComponent(client.lastCsrf!)}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    }),
  );
  const location = String(upload.headers.location);
  const [, pageMs] = await time(() => client.get(location));
  const [confirm, applyMs] = await time(() => client.post(`${location}/confirmer`));
  const [again, secondPreviewMs] = await time(() =>
    client.request({
      method: 'POST',
      url: `/catalogue/import?_csrf=${encodeURIComponent(client.lastCsrf!)}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    }),
  );
  const [exported, exportMs] = await time(() => client.get('/catalogue/export.csv'));
  const [xlsx, exportXlsxMs] = await time(() => client.get('/catalogue/export.xlsx'));
  console.log(
    JSON.stringify({
      target,
      fileBytes: csv.length,
      rows: 10_000,
      uploadAndDryRunMs: previewMs,
      previewPageMs: pageMs,
      confirmMs: applyMs,
      confirmStatus: confirm.statusCode,
      secondDryRunAllUnchangedMs: secondPreviewMs,
      secondStatus: again.statusCode,
      exportCsvMs: exportMs,
      exportCsvBytes: exported.rawPayload.length,
      exportXlsxMs,
      exportXlsxBytes: xlsx.rawPayload.length,
    }),
  );
  await t.close();
}
