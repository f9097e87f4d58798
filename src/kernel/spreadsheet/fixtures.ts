/** Small spreadsheet files built in memory for the tests, in the three accepted formats. Tests only. */
import type ExcelJS from 'exceljs';
import { loadExcelJS } from './exceljs.ts';
import { stringify } from 'csv-stringify/sync';
import { odsFile } from '../export/ods.ts';

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

/** A minimal but genuine ODS laid out as office suites write it (repeated empty cells and rows after the data). */
export function toOds(rows: Sheet): Buffer {
  return odsFile(rows, { sheetName: 'Démarches', officePadding: true });
}
