/**
 * The one CSV writer of Vigie: every CSV export goes through it, so that no cell can run as a formula when the file is
 * opened in a spreadsheet. A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a quote in
 * front (`'=HYPERLINK(…)` is shown as text, the way the catalogue export always did); numbers stay numbers. Files are
 * UTF-8 with a byte-order mark (so that Excel reads the accents).
 */
import type { Transform } from 'node:stream';
import { stringify as stringifyStream } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text a spreadsheet would run as a formula, made inert by a leading quote; other texts unchanged. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export interface CsvOptions {
  /** `;` for French spreadsheets (the default), `,` where a format was published with commas. */
  delimiter?: ';' | ',';
  /** Header row (also the keys of object records, for the stream). */
  columns?: string[];
  /** Byte-order mark first (default true). */
  bom?: boolean;
}

function settings(options: CsvOptions) {
  return {
    delimiter: options.delimiter ?? ';',
    bom: options.bom ?? true,
    ...(options.columns ? { header: true, columns: options.columns } : {}),
    cast: {
      string: (value: string) => neutraliseCell(value),
      boolean: (value: boolean) => (value ? 'true' : 'false'),
      date: (value: Date) => value.toISOString(),
    },
  };
}

/** A whole (small) CSV file at once: rows of cells. */
export function csvText(rows: unknown[][], options: CsvOptions = {}): string {
  return stringifySync(rows, settings(options));
}

/** A streaming CSV writer: write rows (arrays, or records keyed by `columns`), read text; back-pressure as any stream. */
export function csvStream(options: CsvOptions = {}): Transform {
  return stringifyStream(settings(options));
}
