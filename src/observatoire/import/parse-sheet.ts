import { readTableFile } from '../../kernel/spreadsheet/read-file.ts';
import { FileError } from '../../kernel/spreadsheet/table.ts';

export class SheetError extends Error {}

/**
 * The first sheet of a CSV, XLSX or ODS file as rows of text cells (header row first). The catalogue's reader does
 * the work, with its checks: strict UTF-8, format sniffed from the bytes, size limits against zip bombs.
 */
export async function parseSheet(filename: string, buffer: Buffer): Promise<string[][]> {
  const ext = filename.toLowerCase().split('.').pop();
  if (ext !== 'csv' && ext !== 'xlsx' && ext !== 'ods') {
    throw new SheetError('Format non pris en charge : envoyez un fichier CSV, XLSX ou ODS.');
  }
  try {
    const { table } = await readTableFile(buffer, filename);
    return [table.headers, ...table.rows.map((row) => row.cells)];
  } catch (error) {
    if (error instanceof FileError) throw new SheetError(error.message);
    throw error;
  }
}
