import type { SaxesTagPlain } from 'saxes';
import { FileError, type Table } from './table.ts';
import { LIMITS, RowCells, TableBuilder, tooLongCell, type Limits } from './limits.ts';
import { ZipArchive } from './zip.ts';
import { StopReading, readXml } from './xml.ts';

/**
 * OpenDocument spreadsheets (LibreOffice, the State's default office suite): the first table of content.xml, read
 * as a stream of XML events. Repeats (`number-columns-repeated`, `number-rows-repeated`) are counted against the
 * limits before anything is expanded; empty repeated cells and rows, the filler spreadsheets write up to their last
 * column and row, only move the position.
 */
const repeatOf = (tag: SaxesTagPlain, name: string) => {
  const n = Number(tag.attributes[name] ?? 1);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
};

export function readOds(bytes: Uint8Array, limits: Limits = LIMITS): Table {
  const archive = new ZipArchive(bytes, limits.inflatedBytes);
  if (!archive.has('content.xml')) throw new FileError('Le fichier ODS ne contient pas de feuille de calcul (content.xml absent).');
  const builder = new TableBuilder(limits);
  let tableDepth = -1; // depth of the first table:table, once met
  let depth = 0;
  let line = 0; // last line of the file reached
  let row: { cells: RowCells; repeat: number; column: number } | null = null;
  // The cell being read: its value from attributes, or its paragraphs' text.
  let cell: { depth: number; repeat: number; typed: string | null; paragraphs: string[] | null; text: string } | null = null;
  let paragraphDepth = -1;
  let ignoredDepth = -1; // inside an annotation: not part of the value

  const append = (s: string) => {
    if (!cell) return;
    cell.text += s;
    if (cell.text.length > limits.cellChars) throw tooLongCell(limits, line + 1);
  };

  readXml(
    archive,
    'content.xml',
    {
      open(tag) {
        depth++;
        const name = tag.name;
        if (tableDepth < 0) {
          if (name === 'table:table') tableDepth = depth;
          return;
        }
        if (ignoredDepth >= 0) return;
        if (cell) {
          if (name === 'office:annotation') ignoredDepth = depth;
          else if ((name === 'text:p' || name === 'text:h') && depth === cell.depth + 1 && cell.paragraphs) {
            paragraphDepth = depth;
            cell.text = '';
          } else if (paragraphDepth >= 0) {
            if (name === 'text:s') append(' '.repeat(Math.min(repeatOf(tag, 'text:c'), limits.cellChars + 1)));
            else if (name === 'text:tab') append('\t');
            else if (name === 'text:line-break') append('\n');
          }
          return;
        }
        if (name === 'table:table-row' && !row) {
          row = { cells: new RowCells(limits, () => line + 1), repeat: repeatOf(tag, 'table:number-rows-repeated'), column: 0 };
        } else if ((name === 'table:table-cell' || name === 'table:covered-table-cell') && row) {
          const a = tag.attributes;
          const type = a['office:value-type'];
          const typed =
            type === 'float' || type === 'percentage' || type === 'currency'
              ? (a['office:value'] ?? '')
              : type === 'boolean'
                ? (a['office:boolean-value'] ?? '')
                : type === 'date'
                  ? (a['office:date-value'] ?? '').slice(0, 10)
                  : null;
          cell = { depth, repeat: repeatOf(tag, 'table:number-columns-repeated'), typed, paragraphs: typed === null ? [] : null, text: '' };
        }
      },
      text(text) {
        if (cell && paragraphDepth >= 0 && ignoredDepth < 0) append(text);
      },
      close(tag) {
        const closing = depth--;
        if (tableDepth < 0) return;
        if (closing === tableDepth) throw new StopReading(); // only the first sheet is read
        if (ignoredDepth >= 0) {
          if (closing === ignoredDepth) ignoredDepth = -1;
          return;
        }
        if (cell && closing === paragraphDepth) {
          cell.paragraphs!.push(cell.text);
          cell.text = '';
          paragraphDepth = -1;
        } else if (cell && closing === cell.depth) {
          const value = cell.typed ?? cell.paragraphs!.join('\n');
          if (value.length > limits.cellChars) throw tooLongCell(limits, line + 1);
          row!.cells.put(row!.column, value, cell.repeat);
          row!.column += cell.repeat;
          cell = null;
        } else if (row && !cell && tag.name === 'table:table-row') {
          builder.add(line + 1, row.cells.cells, row.repeat);
          line += row.repeat;
          row = null;
        }
      },
    },
    'Le contenu du fichier ODS est mal formé.',
  );
  if (tableDepth < 0) throw new FileError('Le classeur ne contient aucune feuille.');
  return builder.table();
}
