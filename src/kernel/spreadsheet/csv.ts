import { parse } from 'csv-parse/sync';
import { FileError, type Table } from './table.ts';
import { LIMITS, RowCells, TableBuilder, fr, type Limits } from './limits.ts';

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

/**
 * The delimiter used on the header line: French spreadsheets write « ; », others « , », some a tab. Counted over the
 * first 64 KB of that line at most, character by character (splitting a 5 MB line of « ; » built arrays of millions).
 */
function detectDelimiter(text: string): string {
  const counts = new Map<number, number>([
    [59, 0],
    [44, 0],
    [9, 0],
  ]); // ; , tab
  for (let i = 0; i < text.length && i < 65_536; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    const n = counts.get(c);
    if (n !== undefined) counts.set(c, n + 1);
  }
  let best = ',';
  let bestCount = -1;
  for (const candidate of [';', ',', '\t']) {
    const count = counts.get(candidate.charCodeAt(0))!;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Counts the fields of each record, and the records, before the parser builds them (it would build an array of five
 * million empty strings for 5 MB of « ; », and spend minutes on 19 MB of empty lines): a record with more fields than
 * any spreadsheet writes, or a file of far more lines than the row limit, is refused here, in one pass. Quotes are
 * followed so that delimiters and line breaks inside a quoted cell do not count.
 */
export function checkFieldFlood(text: string, delimiter: string, limits: Limits): void {
  const d = delimiter.charCodeAt(0);
  let fields = 1;
  let records = 1;
  let line = 1;
  let recordLine = 1;
  let atFieldStart = true;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else quoted = false;
      }
      continue;
    }
    if (c === 34 && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === d) {
      if (++fields > limits.csvRawFields) {
        throw new FileError(
          `La ligne ${fr(recordLine)} du fichier a plus de ${fr(limits.csvRawFields)} cellules (séparateurs « ${delimiter === '\t' ? 'tabulation' : delimiter} ») : ce n’est pas un tableau exploitable.`,
        );
      }
      atFieldStart = true;
    } else if (c === 10 || c === 13) {
      if (c === 10 || text.charCodeAt(i + 1) !== 10) {
        if (++records > limits.csvRawRecords) {
          throw new FileError(
            `Le fichier a plus de ${fr(limits.csvRawRecords)} lignes, vides comprises : supprimez les lignes vides ou découpez-le en plusieurs fichiers.`,
          );
        }
      }
      fields = 1;
      atFieldStart = true;
      recordLine = line + (c === 13 && text.charCodeAt(i + 1) !== 10 ? 1 : 0);
    } else atFieldStart = false;
  }
}

export function readCsv(bytes: Uint8Array, limits: Limits = LIMITS): Table {
  const text = decodeUtf8(bytes).replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) throw new FileError('Le fichier contient des caractères invalides : ce n’est pas un fichier CSV texte.');
  const delimiter = detectDelimiter(text);
  checkFieldFlood(text, delimiter, limits);
  const builder = new TableBuilder(limits);
  // A record's line is where it starts: one after where the previous one ended (cells may span lines).
  let previousEnd = 0;
  try {
    parse(text, {
      delimiter,
      relax_column_count: true,
      bom: true,
      // Each record goes straight into the table (checked against the limits) and is not kept by the parser.
      on_record: (record: string[], context: { lines: number }) => {
        const line = previousEnd + 1;
        previousEnd = context.lines;
        const cells = new RowCells(limits, () => line);
        for (let i = 0; i < record.length; i++) cells.put(i, record[i]);
        builder.add(line, cells.cells);
        return null;
      },
    });
  } catch (error) {
    if (error instanceof FileError) throw error;
    const line = (error as { lines?: number }).lines;
    throw new FileError(
      `Le fichier CSV est mal formé${line ? ` (vers la ligne ${line})` : ''} : vérifiez les guillemets et les séparateurs.`,
    );
  }
  return builder.table();
}
