import { FileError } from './table.ts';

export interface Limits {
  rows: number;
  columns: number;
  cells: number;
  cellChars: number;
  inflatedBytes: number;
  csvRawFields: number;
  csvRawRecords: number;
}

/**
 * What an imported spreadsheet may hold, checked while it is read (never after building the whole table): a file
 * that goes past one of these is refused as soon as the reader reaches the excess, with a message saying which.
 * Far above any real import (the catalogue is designed for about 10 000 procedures, a few dozen columns), far below
 * what takes a worker down.
 */
export const LIMITS: Readonly<Limits> = Object.freeze({
  /** Data rows that hold something (blank rows are skipped and do not count). */
  rows: 20_000,
  /** Position of the rightmost cell that holds something (empty filler cells to the right do not count). */
  columns: 200,
  /** Cells kept in the table, header and data rows together. */
  cells: 1_000_000,
  /** Characters in one cell: the limit of Excel and LibreOffice themselves. */
  cellChars: 32_767,
  /** Bytes really inflated out of an XLSX or ODS archive, all the parts read together (declared sizes are not trusted). */
  inflatedBytes: 50 * 1024 * 1024,
  /** Fields in one CSV record, empty ones included: Excel's own column count, beyond which no spreadsheet wrote the file. */
  csvRawFields: 16_384,
  /** CSV records, blank ones included (19 MB of line breaks kept the parser busy for minutes). */
  csvRawRecords: 100_000,
});

/**
 * The threads that read uploaded files (pool.ts), away from the event loop that answers requests: each with its own
 * heap limit and a time limit, a few at a time (the server has two cores), a short queue, then « serveur occupé ».
 */
export const READERS = Object.freeze({
  /** Files read at the same time, each in its own thread. */
  concurrency: 2,
  /** Files waiting for a free thread; beyond, the upload is refused with « réessayez ». */
  queue: 4,
  /** Heap of one reading thread (V8 old generation): a file that needs more stops that thread, not the server. */
  heapMb: 256,
  /** Time to read one file, thread start included. */
  timeoutMs: 30_000,
  /** An idle thread is kept this long for the next upload, then stopped. */
  idleMs: 60_000,
});

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
export const fr = (n: number) => integer.format(n);

/** Column letters as spreadsheets show them: 0 → A, 25 → Z, 26 → AA, 16 383 → XFD. */
export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Column index from the letters of a cell reference (« XFD12 » → 16 383), or -1 when there are none. */
export function columnIndex(reference: string): number {
  let n = 0;
  let i = 0;
  for (; i < reference.length && i < 4; i++) {
    const c = reference.charCodeAt(i) & ~32; // upper case
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return i === 0 ? -1 : n - 1;
}

export function tooManyColumns(limits: Limits, line: number, column: number): FileError {
  return new FileError(
    `Le fichier dépasse ${fr(limits.columns)} colonnes : la ligne ${fr(line)} a une valeur en colonne ${columnLetters(column)} (la ${fr(column + 1)}ᵉ). Supprimez les colonnes inutiles ou découpez le fichier.`,
  );
}

export function tooLongCell(limits: Limits, line?: number): FileError {
  return new FileError(
    `Une cellule${line ? ` de la ligne ${fr(line)}` : ''} dépasse ${fr(limits.cellChars)} caractères, la limite des tableurs : raccourcissez-la.`,
  );
}

/**
 * The cells of one row, filled as the reader meets them: empty cells only move the position (a row of 16 000 empty
 * cells costs nothing), a value is checked against the column limit before it is stored, and a repeated value
 * (ODS `number-columns-repeated`) before it is expanded.
 */
export class RowCells {
  cells: string[] = [];
  constructor(
    private readonly limits: Limits,
    private readonly line: () => number,
  ) {}

  put(column: number, value: string, repeat = 1): void {
    if (value === '') return;
    if (column + repeat > this.limits.columns) throw tooManyColumns(this.limits, this.line(), Math.max(column, this.limits.columns));
    if (value.length > this.limits.cellChars) throw tooLongCell(this.limits, this.line());
    while (this.cells.length < column) this.cells.push('');
    for (let i = 0; i < repeat; i++) this.cells[column + i] = value;
  }
}

/** The header row then the data rows, counted against the limits before each (possibly repeated) row is stored. */
export class TableBuilder {
  headers: string[] | null = null;
  rows: { line: number; cells: string[] }[] = [];
  private cellCount = 0;
  constructor(readonly limits: Limits) {}

  /** A row met at `line`, repeated `repeat` times (ODS `number-rows-repeated`) on the following lines. */
  add(line: number, cells: string[], repeat = 1): void {
    if (cells.every((c) => c.trim() === '')) return;
    let first = line;
    let count = repeat;
    if (!this.headers) {
      this.headers = cells;
      this.cellCount += cells.length;
      first++;
      count--;
    }
    if (count <= 0) return;
    if (this.rows.length + count > this.limits.rows) {
      throw new FileError(`Le fichier dépasse ${fr(this.limits.rows)} lignes de données : découpez-le en plusieurs fichiers.`);
    }
    if (this.cellCount + count * cells.length > this.limits.cells) {
      throw new FileError(
        `Le fichier dépasse ${fr(this.limits.cells)} cellules : découpez-le en plusieurs fichiers ou supprimez les colonnes inutiles.`,
      );
    }
    this.cellCount += count * cells.length;
    for (let i = 0; i < count; i++) this.rows.push({ line: first + i, cells });
  }

  table(): { headers: string[]; rows: { line: number; cells: string[] }[] } {
    if (!this.headers) throw new FileError('Le fichier est vide.');
    return { headers: this.headers, rows: this.rows };
  }
}
