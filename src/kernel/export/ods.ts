/**
 * The one OpenDocument spreadsheet writer of Vigie (exports, and the test files of the spreadsheet readers): a genuine
 * ODS — `mimetype` first and stored, the manifest, `content.xml` with one sheet. Text cells keep their line breaks
 * (one `<text:p>` per line); numbers are typed as floats. Nothing is a formula: ODS cells are values unless written
 * with `table:formula`, which this writer never does.
 */
import { strToU8, zipSync } from 'fflate';

export interface OdsOptions {
  /** The sheet's name (default « Feuille1 »). */
  sheetName?: string;
  /**
   * Write the table the way office suites do: declared columns and long runs of repeated empty cells and rows after
   * the data (the readers must count repeats before expanding them). Off for exports.
   */
  officePadding?: boolean;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function cell(value: string | number): string {
  if (typeof value === 'number')
    return `<table:table-cell office:value-type="float" office:value="${value}"><text:p>${value}</text:p></table:table-cell>`;
  if (value === '') return '<table:table-cell/>';
  return `<table:table-cell office:value-type="string">${value
    .split('\n')
    .map((line) => `<text:p>${xml(line)}</text:p>`)
    .join('')}</table:table-cell>`;
}

/** The rows (header first, as given) as an ODS file. */
export function odsFile(rows: readonly (readonly (string | number)[])[], options: OdsOptions = {}): Buffer {
  const padding = options.officePadding ?? false;
  const rowXml = rows
    .map(
      (r) =>
        `<table:table-row>${r.map(cell).join('')}${padding ? '<table:table-cell table:number-columns-repeated="1000"/>' : ''}</table:table-row>`,
    )
    .join('\n');
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
<office:body><office:spreadsheet><table:table table:name="${xml(options.sheetName ?? 'Feuille1')}">
${padding ? '<table:table-column table:number-columns-repeated="20"/>\n' : ''}${rowXml}
${padding ? '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>\n' : ''}</table:table></office:spreadsheet></office:body></office:document-content>`;
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
