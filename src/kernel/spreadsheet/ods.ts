import { unzipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { FileError, MAX_ROWS, isBlank, type Table } from './table.ts';

/**
 * OpenDocument spreadsheets (LibreOffice, the State's default office suite): a zip holding content.xml, read with
 * fflate and fast-xml-parser. Order matters (cells, paragraphs, spans), hence `preserveOrder`.
 */
type XmlNode = Record<string, any>;

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, parseTagValue: false, parseAttributeValue: false });

/** Repeats beyond this are the empty filler spreadsheets write up to their last row or column. */
const MAX_REPEAT = 1000;

const tagOf = (node: XmlNode) => Object.keys(node).find((k) => k !== ':@')!;
const attrs = (node: XmlNode): Record<string, string> => node[':@'] ?? {};

function textOf(nodes: XmlNode[]): string {
  let out = '';
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === '#text') out += String(node['#text']);
    else if (tag === 'text:s') out += ' '.repeat(Math.min(1000, Number(attrs(node)['text:c'] ?? 1)));
    else if (tag === 'text:tab') out += '\t';
    else if (tag === 'text:line-break') out += '\n';
    else if (tag === 'office:annotation') continue;
    else out += textOf(node[tag] ?? []);
  }
  return out;
}

function cellValue(node: XmlNode): string {
  const a = attrs(node);
  const type = a['office:value-type'];
  if (type === 'float' || type === 'percentage' || type === 'currency') return a['office:value'] ?? '';
  if (type === 'boolean') return a['office:boolean-value'] ?? '';
  if (type === 'date') return (a['office:date-value'] ?? '').slice(0, 10);
  const tag = tagOf(node);
  const paragraphs = (node[tag] ?? []).filter((child: XmlNode) => tagOf(child) === 'text:p' || tagOf(child) === 'text:h');
  return paragraphs.map((p: XmlNode) => textOf(p[tagOf(p)] ?? [])).join('\n');
}

function rowCells(row: XmlNode): string[] {
  const cells: string[] = [];
  let pendingEmpty = 0;
  for (const cell of row['table:table-row'] ?? []) {
    const tag = tagOf(cell);
    if (tag !== 'table:table-cell' && tag !== 'table:covered-table-cell') continue;
    const repeat = Math.max(1, Number(attrs(cell)['table:number-columns-repeated'] ?? 1));
    const value = cellValue(cell);
    if (value === '') {
      pendingEmpty += repeat;
      continue;
    }
    for (let i = 0; i < Math.min(pendingEmpty, MAX_REPEAT); i++) cells.push('');
    pendingEmpty = 0;
    for (let i = 0; i < Math.min(repeat, MAX_REPEAT); i++) cells.push(value);
  }
  return cells;
}

/** Rows of a table, including those inside header-rows and row-groups. */
function* tableRows(nodes: XmlNode[]): Generator<XmlNode> {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === 'table:table-row') yield node;
    else if (tag === 'table:table-header-rows' || tag === 'table:table-row-group' || tag === 'table:table-rows') yield* tableRows(node[tag] ?? []);
  }
}

function findFirst(nodes: XmlNode[], wanted: string): XmlNode | null {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === wanted) return node;
    if (Array.isArray(node[tag])) {
      const found = findFirst(node[tag], wanted);
      if (found) return found;
    }
  }
  return null;
}

export function readOds(bytes: Uint8Array): Table {
  let content: Uint8Array | undefined;
  try {
    content = unzipSync(bytes, { filter: (file) => file.name === 'content.xml' })['content.xml'];
  } catch {
    throw new FileError('Le fichier ODS est illisible : enregistrez-le de nouveau depuis votre tableur.');
  }
  if (!content) throw new FileError('Le fichier ODS ne contient pas de feuille de calcul (content.xml absent).');
  let document: XmlNode[];
  try {
    document = parser.parse(new TextDecoder('utf-8').decode(content));
  } catch {
    throw new FileError('Le contenu du fichier ODS est mal formé.');
  }
  const table = findFirst(document, 'table:table');
  if (!table) throw new FileError('Le classeur ne contient aucune feuille.');
  let headers: string[] | null = null;
  const rows: Table['rows'] = [];
  let line = 0;
  for (const row of tableRows(table['table:table'] ?? [])) {
    const repeat = Math.max(1, Number(attrs(row)['table:number-rows-repeated'] ?? 1));
    const cells = rowCells(row);
    if (isBlank(cells)) {
      line += repeat;
      continue;
    }
    for (let i = 0; i < Math.min(repeat, MAX_REPEAT); i++) {
      line++;
      if (!headers) headers = cells;
      else rows.push({ line, cells });
    }
    if (rows.length > MAX_ROWS) throw new FileError(`Le fichier dépasse ${MAX_ROWS} lignes : découpez-le en plusieurs fichiers.`);
  }
  if (!headers) throw new FileError('Le fichier est vide.');
  return { headers, rows };
}
