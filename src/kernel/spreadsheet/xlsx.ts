import type ExcelJS from 'exceljs';
import { loadExcelJS } from './exceljs.ts';
import { FileError, MAX_ROWS, isBlank, type Table } from './table.ts';

/** The text of a cell whatever ExcelJS made of it: rich text, hyperlink, formula result, date, number. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value) return cellText((value as { text: ExcelJS.CellValue }).text);
    if ('error' in value) return '';
  }
  return String(value);
}

export async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const workbook = new (await loadExcelJS()).Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as any);
  } catch {
    throw new FileError('Le fichier XLSX est illisible : enregistrez-le de nouveau depuis votre tableur.');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new FileError('Le classeur ne contient aucune feuille.');
  let headers: string[] | null = null;
  const rows: Table['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[]; // 1-based: values[0] is empty
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
    if (!headers) {
      headers = cells;
      return;
    }
    if (!isBlank(cells)) rows.push({ line: rowNumber, cells });
  });
  if (!headers) throw new FileError('Le fichier est vide.');
  if (rows.length > MAX_ROWS) throw new FileError(`Le fichier dépasse ${MAX_ROWS} lignes : découpez-le en plusieurs fichiers.`);
  return { headers, rows };
}
