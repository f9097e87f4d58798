import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strFromU8, unzipSync } from 'fflate';
import { odsFile } from './ods.ts';
import { readTable } from '../spreadsheet/read-file.ts';

// The one ODS writer: exports (accessibility grid) and the spreadsheet readers' test files (spreadsheet/fixtures.ts).
const ROWS = [
  ['Critère', 'Statut', 'Note'],
  ['1.1', 'Non conforme', 'Image « décorative »\n<img alt="x"> & lien'],
  ['1.2', '', 3.5],
];

test('an ODS file: mimetype first and stored, the manifest, one named sheet; read back by the kernel reader', () => {
  const bytes = odsFile(ROWS, { sheetName: 'Grille & notes' });
  // mimetype is the first entry, stored (method 0) so that its text is readable at offset 38.
  assert.equal(bytes.subarray(30, 38).toString('latin1'), 'mimetype');
  assert.equal(bytes.readUInt16LE(8), 0);
  assert.equal(bytes.subarray(38, 38 + 46).toString('latin1'), 'application/vnd.oasis.opendocument.spreadsheet');
  const files = unzipSync(bytes);
  assert.deepEqual(Object.keys(files).sort(), ['META-INF/manifest.xml', 'content.xml', 'mimetype']);
  const content = strFromU8(files['content.xml']);
  assert.match(content, /table:name="Grille &amp; notes"/);
  assert.match(content, /<text:p>Image « décorative »<\/text:p><text:p>&lt;img alt=&quot;x&quot;&gt; &amp; lien<\/text:p>/);
  assert.match(content, /office:value-type="float" office:value="3.5"/);
  assert.doesNotMatch(content, /number-columns-repeated|table:formula/);

  const { format, table } = readTable(bytes, 'grille.ods');
  assert.equal(format, 'ods');
  assert.deepEqual(table.headers, ['Critère', 'Statut', 'Note']);
  assert.deepEqual(
    table.rows.map((r) => r.cells),
    [
      ['1.1', 'Non conforme', 'Image « décorative »\n<img alt="x"> & lien'],
      ['1.2', '', '3.5'],
    ],
  );
});

test('office padding: the same rows, then repeated empty cells and rows as office suites write them', () => {
  const content = strFromU8(unzipSync(odsFile(ROWS, { officePadding: true }))['content.xml']);
  assert.match(content, /table:name="Feuille1"/);
  assert.match(content, /<table:table-column table:number-columns-repeated="20"\/>/);
  assert.equal(content.match(/<table:table-cell table:number-columns-repeated="1000"\/><\/table:table-row>/g)?.length, 3);
  assert.match(content, /<table:table-row table:number-rows-repeated="1048000">/);
  assert.deepEqual(readTable(odsFile(ROWS, { officePadding: true }), 'x.ods').table.rows.length, 2);
});
