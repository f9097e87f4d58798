import { BusyError, readUploadedTable } from '../../kernel/spreadsheet/pool.ts';
import { FileError } from '../../kernel/spreadsheet/table.ts';

export class SheetError extends Error {
  /** 400 for the file itself, 503 when the server is too busy reading other files to read it now. */
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * The first sheet of a CSV, XLSX or ODS file as rows of text cells (header row first). The catalogue's reader does
 * the work in a worker thread, with its checks: strict UTF-8, format sniffed from the bytes, the limits of
 * kernel/spreadsheet/limits.ts checked while reading.
 */
export async function parseSheet(filename: string, buffer: Buffer): Promise<string[][]> {
  const ext = filename.toLowerCase().split('.').pop();
  if (ext !== 'csv' && ext !== 'xlsx' && ext !== 'ods') {
    throw new SheetError('Format non pris en charge : envoyez un fichier CSV, XLSX ou ODS.');
  }
  try {
    const { table } = await readUploadedTable(buffer, filename); // in a worker thread, within limits.ts
    return [table.headers, ...table.rows.map((row) => row.cells)];
  } catch (error) {
    if (error instanceof FileError) throw new SheetError(error.message, error instanceof BusyError ? 503 : 400);
    throw error;
  }
}
