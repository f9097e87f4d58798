import { readCsv } from './csv.ts';
import { readOds } from './ods.ts';
import { readXlsx } from './xlsx.ts';
import { unzipSync } from 'fflate';
import { FileError, type Table } from './table.ts';

/** What a spreadsheet may weigh once unzipped: far above any real catalogue, far below a zip bomb. */
const MAX_UNZIPPED_BYTES = 400 * 1024 * 1024;

/** Sums the sizes the zip declares, without inflating anything, and refuses a file that would blow up in memory. */
export function checkUnzippedSize(bytes: Uint8Array, limit = MAX_UNZIPPED_BYTES): void {
  let total = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        return false;
      },
    });
  } catch {
    throw new FileError('Le classeur est illisible : enregistrez-le de nouveau depuis votre tableur.');
  }
  if (total > limit) throw new FileError('Le classeur est trop volumineux une fois décompressé : découpez-le en plusieurs fichiers.');
}

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
  if (name.endsWith('.xls')) throw new FileError('L’ancien format Excel (.xls) n’est pas accepté : enregistrez le fichier au format XLSX, ODS ou CSV UTF-8.');
  if (name.endsWith('.xlsx') || name.endsWith('.ods')) throw new FileError('Le fichier ne correspond pas à son extension : il n’est pas un classeur XLSX ou ODS valide.');
  return 'csv';
}

export async function readTableFile(bytes: Uint8Array, fileName: string): Promise<{ format: FileFormat; table: Table }> {
  if (bytes.length === 0) throw new FileError('Le fichier est vide.');
  const format = detectFormat(bytes, fileName);
  if (format !== 'csv') checkUnzippedSize(bytes);
  const table = format === 'csv' ? readCsv(bytes) : format === 'xlsx' ? await readXlsx(bytes) : readOds(bytes);
  return { format, table };
}
