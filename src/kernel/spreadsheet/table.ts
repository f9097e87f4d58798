/** A spreadsheet read from any format: its header row and data rows, each with its line number in the file. */
export interface Table {
  headers: string[];
  rows: { line: number; cells: string[] }[];
}

/** A problem with the file as a whole (format, encoding, size): nothing in it can be imported. */
export class FileError extends Error {}

export function isBlank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}
