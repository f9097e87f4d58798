import { readCsv } from './csv.ts';
import { readOds } from './ods.ts';
import { readXlsx } from './xlsx.ts';
import { FileError, type Table } from './table.ts';
import { LIMITS, type Limits } from './limits.ts';

export type FileFormat = 'csv' | 'xlsx' | 'ods';

/** The format from the content first (a zip is XLSX or ODS), then from the name. */
export function detectFormat(bytes: Uint8Array, fileName: string): FileFormat {
  const isZip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const name = fileName.toLowerCase();
  if (isZip) {
    if (name.endsWith('.ods')) return 'ods';
    if (name.endsWith('.xlsx')) return 'xlsx';
    // ODS stores its mimetype uncompressed at the start of the zip.
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    return head.includes('application/vnd.oasis.opendocument.spreadsheet') ? 'ods' : 'xlsx';
  }
  if (name.endsWith('.xls'))
    throw new FileError('L’ancien format Excel (.xls) n’est pas accepté : enregistrez le fichier au format XLSX, ODS ou CSV UTF-8.');
  if (name.endsWith('.xlsx') || name.endsWith('.ods'))
    throw new FileError('Le fichier ne correspond pas à son extension : il n’est pas un classeur XLSX ou ODS valide.');
  return 'csv';
}

/**
 * Reads the first sheet of a CSV, XLSX or ODS file, in the calling thread, within the limits of limits.ts (checked
 * while reading). The web routes call it through the worker pool (pool.ts) so that a hostile file never holds the
 * server's event loop; the command line and the tests call it directly.
 */
export function readTable(bytes: Uint8Array, fileName: string, limits: Limits = LIMITS): { format: FileFormat; table: Table } {
  if (bytes.length === 0) throw new FileError('Le fichier est vide.');
  const format = detectFormat(bytes, fileName);
  const table = format === 'csv' ? readCsv(bytes, limits) : format === 'xlsx' ? readXlsx(bytes, limits) : readOds(bytes, limits);
  return { format, table };
}

export async function readTableFile(bytes: Uint8Array, fileName: string): Promise<{ format: FileFormat; table: Table }> {
  return readTable(bytes, fileName);
}
