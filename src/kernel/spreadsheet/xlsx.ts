import { FileError, type Table } from './table.ts';
import { LIMITS, RowCells, TableBuilder, columnIndex, tooLongCell, type Limits } from './limits.ts';
import { ZipArchive } from './zip.ts';
import { StopReading, readXml } from './xml.ts';

/**
 * Excel workbooks: the first sheet, its shared strings and the styles that make a number a date, each part read as a
 * stream of XML events. Cells are placed by their reference (`r="XFD12"`): a lone cell far to the right is refused by
 * the column limit as soon as it is met instead of being padded with 16 000 empty cells.
 */
const malformed = 'Le contenu du fichier XLSX est mal formé : enregistrez-le de nouveau depuis votre tableur.';

/** Built-in number formats that are dates (ECMA-376 §18.8.30 and the East Asian ones Excel also uses). */
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** A custom format is a date when, once quoted text and bracketed parts are removed, it still has date or time letters. */
function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/\[[^\]]*]/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '');
  return /[ymdhsb]/i.test(bare) && !/^general$/i.test(bare.trim());
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Resolves a relationship target against the folder of the part that declares it. */
function resolve(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.') parts.push(piece);
  }
  return parts.join('/');
}

function readRelationships(archive: ZipArchive, part: string): { id: string; type: string; target: string }[] {
  const folder = part.slice(0, part.lastIndexOf('/') + 1);
  const rels = `${folder}_rels/${part.slice(folder.length)}.rels`;
  const out: { id: string; type: string; target: string }[] = [];
  if (!archive.has(rels)) return out;
  readXml(
    archive,
    rels,
    {
      open(tag) {
        if (localName(tag.name) === 'Relationship' && tag.attributes.TargetMode !== 'External') {
          out.push({ id: tag.attributes.Id ?? '', type: tag.attributes.Type ?? '', target: resolve(part, tag.attributes.Target ?? '') });
        }
      },
    },
    malformed,
  );
  return out;
}

export function readXlsx(bytes: Uint8Array, limits: Limits = LIMITS): Table {
  const archive = new ZipArchive(bytes, limits.inflatedBytes);
  const rootRels = readRelationships(archive, '');
  const workbook = rootRels.find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  if (!archive.has(workbook))
    throw new FileError('Le fichier XLSX est illisible : ce n’est pas un classeur Excel. Enregistrez-le de nouveau depuis votre tableur.');

  // The first sheet in the workbook's order, and whether dates count from 1904.
  let firstSheetId: string | null = null;
  let date1904 = false;
  readXml(
    archive,
    workbook,
    {
      open(tag) {
        const name = localName(tag.name);
        if (name === 'workbookPr') date1904 = tag.attributes.date1904 === '1' || tag.attributes.date1904 === 'true';
        if (name === 'sheet' && firstSheetId === null) {
          const idAttribute = Object.keys(tag.attributes).find((a) => a !== 'sheetId' && localName(a) === 'id');
          firstSheetId = idAttribute ? tag.attributes[idAttribute] : '';
          throw new StopReading();
        }
      },
    },
    malformed,
  );
  const rels = readRelationships(archive, workbook);
  const sheetPart = rels.find((r) => r.id === firstSheetId)?.target;
  if (firstSheetId === null || !sheetPart || !archive.has(sheetPart)) throw new FileError('Le classeur ne contient aucune feuille.');

  // Styles: which cell formats (the `s` of a cell) show a number as a date.
  const dateStyles = new Set<number>();
  const stylesPart = rels.find((r) => r.type.endsWith('/styles'))?.target;
  if (stylesPart && archive.has(stylesPart)) {
    const customDates = new Set<number>();
    let inCellXfs = false;
    let xf = 0;
    readXml(
      archive,
      stylesPart,
      {
        open(tag) {
          const name = localName(tag.name);
          if (name === 'numFmt' && isDateFormat(tag.attributes.formatCode ?? '')) customDates.add(Number(tag.attributes.numFmtId));
          else if (name === 'cellXfs') inCellXfs = true;
          else if (name === 'xf' && inCellXfs) {
            const id = Number(tag.attributes.numFmtId ?? 0);
            if (DATE_FORMAT_IDS.has(id) || customDates.has(id)) dateStyles.add(xf);
            xf++;
          }
        },
        close(tag) {
          if (localName(tag.name) === 'cellXfs') throw new StopReading();
        },
      },
      malformed,
    );
  }

  // Shared strings: the text of each <si>, its runs joined, phonetic hints (<rPh>) left out.
  const shared: string[] = [];
  const sharedPart = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target;
  if (sharedPart && archive.has(sharedPart)) {
    let current: string | null = null;
    let inText = false;
    let inPhonetic = false;
    readXml(
      archive,
      sharedPart,
      {
        open(tag) {
          const name = localName(tag.name);
          if (name === 'si') current = '';
          else if (name === 'rPh') inPhonetic = true;
          else if (name === 't' && !inPhonetic) inText = true;
        },
        text(text) {
          if (current === null || !inText) return;
          current += text;
          if (current.length > limits.cellChars) throw tooLongCell(limits);
        },
        close(tag) {
          const name = localName(tag.name);
          if (name === 'si') {
            shared.push(current ?? '');
            current = null;
          } else if (name === 'rPh') inPhonetic = false;
          else if (name === 't') inText = false;
        },
      },
      malformed,
    );
  }

  const builder = new TableBuilder(limits);
  let line = 0;
  let row: RowCells | null = null;
  let column = -1;
  let cell: { column: number; type: string; style: number; text: string; collecting: boolean; inPhonetic: boolean } | null = null;
  const cellValue = (c: NonNullable<typeof cell>): string => {
    const v = c.text;
    switch (c.type) {
      case 's': {
        const index = Number(v);
        return Number.isInteger(index) ? (shared[index] ?? '') : '';
      }
      case 'str':
      case 'inlineStr':
        return v;
      case 'b':
        return v === '1' || v === 'true' ? 'true' : v === '' ? '' : 'false';
      case 'e':
        return '';
      case 'd':
        return v.slice(0, 10);
      default: {
        if (v.trim() === '') return '';
        const n = Number(v);
        if (!Number.isFinite(n)) return v;
        if (dateStyles.has(c.style)) {
          const date = new Date(Math.round((n - (date1904 ? 24107 : 25569)) * 86_400_000));
          if (!Number.isNaN(date.getTime())) return date.toISOString().slice(0, 10);
        }
        return String(n);
      }
    }
  };

  readXml(
    archive,
    sheetPart,
    {
      open(tag) {
        const name = localName(tag.name);
        if (name === 'row') {
          const r = Number(tag.attributes.r);
          line = Number.isInteger(r) && r > line ? r : line + 1;
          row = new RowCells(limits, () => line);
          column = -1;
        } else if (name === 'c' && row) {
          const ref = columnIndex(tag.attributes.r ?? '');
          column = ref >= 0 ? ref : column + 1;
          cell = {
            column,
            type: tag.attributes.t ?? 'n',
            style: Number(tag.attributes.s ?? 0),
            text: '',
            collecting: false,
            inPhonetic: false,
          };
        } else if (cell) {
          if (name === 'rPh') cell.inPhonetic = true;
          else if (name === 'v' || (name === 't' && cell.type === 'inlineStr' && !cell.inPhonetic)) cell.collecting = true;
        }
      },
      text(text) {
        if (!cell?.collecting) return;
        cell.text += text;
        if (cell.text.length > limits.cellChars) throw tooLongCell(limits, line);
      },
      close(tag) {
        const name = localName(tag.name);
        if (name === 'c' && cell && row) {
          row.put(cell.column, cellValue(cell));
          cell = null;
        } else if (cell) {
          if (name === 'rPh') cell.inPhonetic = false;
          else if (name === 'v' || name === 't') cell.collecting = false;
        } else if (name === 'row' && row) {
          builder.add(line, row.cells);
          row = null;
        } else if (name === 'sheetData') throw new StopReading();
      },
    },
    malformed,
  );
  return builder.table();
}
