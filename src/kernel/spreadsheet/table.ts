/** A spreadsheet read from any format: its header row and data rows, each with its line number in the file. */
export interface Table {
  headers: string[];
  rows: { line: number; cells: string[] }[];
}

/** A problem with the file as a whole (format, encoding, size): nothing in it can be imported. */
export class FileError extends Error {}

/** Beyond this many data rows, a file is refused (the catalogue is designed for about 10 000 procedures). */
export const MAX_ROWS = 50_000;

export function isBlank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}
