import { parse } from 'csv-parse/sync';
import { FileError, MAX_ROWS, isBlank, type Table } from './table.ts';

/** Strict UTF-8: a file saved in Windows-1252 or Latin-1 is refused rather than imported with broken accents. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new FileError(
      'Le fichier n’est pas encodé en UTF-8 (il l’est sans doute en Windows-1252 ou ISO-8859-1). Dans votre tableur, enregistrez-le au format « CSV UTF-8 », ou importez-le au format XLSX ou ODS.',
    );
  }
}

/** The delimiter used on the header line: French spreadsheets write « ; », others « , », some a tab. */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let best = ',';
  let bestCount = -1;
  for (const candidate of [';', ',', '\t']) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

export function readCsv(bytes: Uint8Array): Table {
  const text = decodeUtf8(bytes).replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) throw new FileError('Le fichier contient des caractères invalides : ce n’est pas un fichier CSV texte.');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: detectDelimiter(text), relax_column_count: true, info: true, bom: true }) as any;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new FileError(`Le fichier CSV est mal formé${line ? ` (vers la ligne ${line})` : ''} : vérifiez les guillemets et les séparateurs.`);
  }
  if (records.length === 0) throw new FileError('Le fichier est vide.');
  const rows: Table['rows'] = [];
  // A record's line is where it starts: one after where the previous one ended (cells may span lines).
  let previousEnd = records[0].info.lines;
  for (const { record, info } of records.slice(1)) {
    const line = previousEnd + 1;
    previousEnd = info.lines;
    if (!isBlank(record)) rows.push({ line, cells: record });
    if (rows.length > MAX_ROWS) throw new FileError(`Le fichier dépasse ${MAX_ROWS} lignes : découpez-le en plusieurs fichiers.`);
  }
  return { headers: records[0].record, rows };
}
