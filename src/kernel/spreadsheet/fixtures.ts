/** Small spreadsheet files built in memory for the tests, in the three accepted formats. Tests only. */
import type ExcelJS from 'exceljs';
import { loadExcelJS } from './exceljs.ts';
import { stringify } from 'csv-stringify/sync';
import { strToU8, zipSync } from 'fflate';

export type Sheet = (string | number)[][];

export function toCsv(rows: Sheet, delimiter = ';'): Buffer {
  return Buffer.from('\uFEFF' + stringify(rows, { delimiter }), 'utf8');
}

export async function toXlsx(rows: Sheet): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook();
  const sheet = workbook.addWorksheet('Démarches');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A minimal but genuine ODS: mimetype first and stored, manifest, content.xml with typed cells and multi-line text. */
export function toOds(rows: Sheet): Buffer {
  const cell = (v: string | number) =>
    typeof v === 'number'
      ? `<table:table-cell office:value-type="float" office:value="${v}"><text:p>${v}</text:p></table:table-cell>`
      : v === ''
        ? '<table:table-cell/>'
        : `<table:table-cell office:value-type="string">${v.split('\n').map((line) => `<text:p>${xml(line)}</text:p>`).join('')}</table:table-cell>`;
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
<office:body><office:spreadsheet><table:table table:name="Démarches">
<table:table-column table:number-columns-repeated="20"/>
${rows.map((r) => `<table:table-row>${r.map(cell).join('')}<table:table-cell table:number-columns-repeated="1000"/></table:table-row>`).join('\n')}
<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>`;
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`;
  return Buffer.from(
    zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }],
      'META-INF/manifest.xml': strToU8(manifest),
      'content.xml': strToU8(content),
    }),
  );
}
