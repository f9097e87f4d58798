import { PassThrough, Readable } from 'node:stream';
import { csvText } from '../../kernel/export/csv.ts';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../../kernel/spreadsheet/exceljs.ts';
import type { ProcedureRow } from '../queries/procedures.ts';
import { EXPORT_HEADERS, exportCells } from './rows.ts';

/** CSV for French spreadsheets: UTF-8 with a BOM (so that Excel reads the accents) and « ; » between cells. */
export function csvStream(batches: AsyncIterable<ProcedureRow[]>): Readable {
  async function* chunks() {
    yield csvText([EXPORT_HEADERS]);
    for await (const rows of batches) yield csvText(rows.map(exportCells), { bom: false });
  }
  return Readable.from(chunks());
}

/** XLSX written row by row with ExcelJS's streaming writer. */
export function xlsxStream(batches: AsyncIterable<ProcedureRow[]>): Readable {
  const out = new PassThrough();
  (async () => {
    const workbook = new (await loadExcelJS()).stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet('Catalogue');
    sheet.addRow(EXPORT_HEADERS).commit();
    for await (const rows of batches) for (const row of rows) sheet.addRow(exportCells(row)).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((error) => out.destroy(error));
  return out;
}
