import { PassThrough, Readable } from 'node:stream';
import { csvStream as csvWriter } from '../../kernel/export/csv.ts';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../../kernel/spreadsheet/exceljs.ts';
import type { Queryable } from '../../kernel/db/db.ts';
import type { Edition } from '../editions/drafts.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import type { TableQuery } from '../table/filters.ts';
import { tableRows } from '../table/query.ts';
import { exportColumns, exportRecord } from './columns.ts';
import { rowOut } from '../api/serialize.ts';
import { editionStatistics } from '../statistics/edition-statistics.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'json';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

/**
 * CSV in UTF-8 (with a byte-order mark so that spreadsheet software reads the accents), header row = column keys,
 * commas as published; through the kernel's writer, which neutralises formula-leading texts (titles, edition names).
 */
function csvStream(db: Queryable, edition: Edition, defs: IndicatorDefinition[], q: TableQuery): Readable {
  const columns = exportColumns(defs).map((c) => c.key);
  const csv = csvWriter({ delimiter: ',', columns });
  const source = Readable.from(
    (async function* () {
      const stats = (await editionStatistics(db, edition.id))?.cells;
      for await (const row of tableRows(db, edition.id, q)) yield exportRecord(edition, defs, row, stats?.get(row.procedure.procedureId));
    })(),
  );
  source.on('error', (err) => csv.destroy(err));
  return source.pipe(csv);
}

/** JSON array written row by row: the same objects as the API's procedure list. */
function jsonStream(db: Queryable, edition: Edition, defs: IndicatorDefinition[], q: TableQuery): Readable {
  return Readable.from(
    (async function* () {
      yield '[';
      let first = true;
      for await (const row of tableRows(db, edition.id, q)) {
        yield (first ? '\n' : ',\n') + JSON.stringify({ edition: edition.id, ...rowOut(defs, row) });
        first = false;
      }
      yield '\n]\n';
    })(),
  );
}

/** XLSX through exceljs' streaming writer: rows are committed as they come, never held all in memory. */
function xlsxStream(db: Queryable, edition: Edition, defs: IndicatorDefinition[], q: TableQuery): Readable {
  const out = new PassThrough();
  (async () => {
    const workbook = new (await loadExcelJS()).stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const sheet = workbook.addWorksheet('Démarches');
    const columns = exportColumns(defs);
    sheet.addRow(columns.map((c) => c.key)).commit();
    const stats = (await editionStatistics(db, edition.id))?.cells;
    for await (const row of tableRows(db, edition.id, q))
      sheet.addRow(exportRecord(edition, defs, row, stats?.get(row.procedure.procedureId))).commit();
    sheet.commit();
    const doc = workbook.addWorksheet('Colonnes');
    doc.addRow(['colonne', 'description']).commit();
    for (const c of columns) doc.addRow([c.key, c.description]).commit();
    doc.commit();
    await workbook.commit();
  })().catch((err) => out.destroy(err));
  return out;
}

export function exportStream(format: ExportFormat, db: Queryable, edition: Edition, defs: IndicatorDefinition[], q: TableQuery): Readable {
  if (format === 'csv') return csvStream(db, edition, defs, q);
  if (format === 'xlsx') return xlsxStream(db, edition, defs, q);
  return jsonStream(db, edition, defs, q);
}
