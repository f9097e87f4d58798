import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../../kernel/spreadsheet/exceljs.ts';
import { unzipSync, strFromU8 } from 'fflate';
import { XMLParser } from 'fast-xml-parser';

export class SheetError extends Error {}

function csvRows(buffer: Buffer): string[][] {
  const text = buffer.toString('utf8');
  if (text.includes('\uFFFD')) throw new SheetError('Le fichier CSV doit être encodé en UTF-8.');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  return parse(text, { delimiter, bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('result' in value) return String(value.result ?? '');
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value);
}

async function xlsxRows(buffer: Buffer): Promise<string[][]> {
  const wb = new (await loadExcelJS()).Workbook();
  try {
    await wb.xlsx.load(buffer as any);
  } catch {
    throw new SheetError('Le fichier XLSX est illisible.');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new SheetError('Le classeur ne contient aucune feuille.');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) values.push(cellText(row.getCell(c).value));
    rows.push(values);
  });
  return rows;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** OpenDocument spreadsheet: the first table of content.xml, repeated cells expanded (trailing empty ones dropped). */
function odsRows(buffer: Buffer): string[][] {
  let xml: string;
  try {
    const files = unzipSync(new Uint8Array(buffer), { filter: (f) => f.name === 'content.xml' });
    xml = strFromU8(files['content.xml']);
  } catch {
    throw new SheetError('Le fichier ODS est illisible.');
  }
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', isArray: (name) => ['table:table', 'table:table-row', 'table:table-cell', 'table:covered-table-cell', 'text:p'].includes(name) }).parse(xml);
  const table = doc?.['office:document-content']?.['office:body']?.['office:spreadsheet']?.['table:table']?.[0];
  if (!table) throw new SheetError('Le classeur ne contient aucune feuille.');
  const rows: string[][] = [];
  for (const row of asArray<any>(table['table:table-row'])) {
    const values: string[] = [];
    for (const cell of asArray<any>(row['table:table-cell'])) {
      const repeat = Math.min(Number(cell['@table:number-columns-repeated'] ?? 1), 1000);
      const text = cell['@office:value'] ?? asArray<any>(cell['text:p']).map((p) => (typeof p === 'object' ? p['#text'] ?? '' : p)).join('\n');
      for (let i = 0; i < repeat; i++) values.push(String(text ?? ''));
    }
    while (values.length && values[values.length - 1] === '') values.pop();
    const repeatRows = Math.min(Number(row['@table:number-rows-repeated'] ?? 1), 1000);
    if (values.length) for (let i = 0; i < repeatRows; i++) rows.push([...values]);
  }
  return rows;
}

/** The first sheet of a CSV, XLSX or ODS file as rows of text cells. */
export async function parseSheet(filename: string, buffer: Buffer): Promise<string[][]> {
  const ext = filename.toLowerCase().split('.').pop();
  if (ext === 'csv') return csvRows(buffer);
  if (ext === 'xlsx') return xlsxRows(buffer);
  if (ext === 'ods') return odsRows(buffer);
  throw new SheetError('Format non pris en charge : envoyez un fichier CSV, XLSX ou ODS.');
}
