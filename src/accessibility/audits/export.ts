import { odsFile } from '../../kernel/export/ods.ts';
import type { Queryable } from '../../kernel/db/db.ts';
import { csvText } from '../../kernel/export/csv.ts';
import { loadExcelJS } from '../../kernel/spreadsheet/exceljs.ts';
import { getAudit, loadCells, rgaaOf, type AuditDetail, type Cell } from './work.ts';
import { kindLabel } from './views.ts';

/**
 * The grid as a file: one row per page × criterion, the cell's items in numbered groups of columns (as many groups as
 * the fullest cell has items). The same columns in CSV, XLSX and ODS; JSON adds the audit's own fields. Importing a
 * file back (import.ts) gives the same sample, results and items. Screenshots travel in JSON only (base64, with their
 * type and alternative text); the spreadsheets leave them out.
 */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'ods', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const BASE_COLUMNS = ['Page n°', 'Page', 'Adresse', 'Type de page', 'Processus', 'Critère', 'Statut', 'Note'] as const;
export const ITEM_FIELDS = ['description', 'impact', 'gain rapide', 'recommandation', 'origine'] as const;
export const itemHeader = (n: number, field: (typeof ITEM_FIELDS)[number]) => `Anomalie ${n} : ${field}`;

export const ORIGIN_TEXT = { manual: 'manuelle', automatic: 'automatique', automaticPending: 'automatique à confirmer' } as const;

export interface JsonExport {
  format: 'vigie-audit-rgaa';
  formatVersion: 1;
  audit: {
    name: string;
    type: AuditDetail['type'];
    rgaaVersion: string;
    siteUrl: string | null;
    auditedBy: string;
    tools: string[];
    startedOn: string | null;
    finishedOn: string | null;
    environments: { assistiveTechnology: string | null; browser: string; operatingSystem: string }[];
  };
  rows: JsonRow[];
}

export interface JsonRow {
  pagePosition: number;
  page: string;
  url: string | null;
  kind: string;
  process: string | null;
  criterion: string;
  status: string;
  note: string;
  items: {
    description: string;
    impact: string | null;
    quickWin: boolean;
    recommendation: string;
    origin: 'manual' | 'automatic';
    confirmed: boolean;
    image?: JsonImage;
  }[];
}

/** An item's screenshot in the JSON export: its bytes in base64, its type and alternative text. */
export interface JsonImage {
  contentType: string;
  alt: string;
  base64: string;
}

/** The screenshots of an audit's items, by item id (for the JSON export). */
export async function auditImages(db: Queryable, auditId: number): Promise<Map<number, JsonImage>> {
  const { rows } = await db.query<{ id: number; content_type: string; alt: string; bytes: Uint8Array }>(
    `SELECT i.id, img.content_type, img.alt, img.bytes FROM accessibility_nc_images img
       JOIN accessibility_nc_items i ON i.id = img.item_id JOIN accessibility_audit_pages p ON p.id = i.page_id
      WHERE p.audit_id = $1`,
    [auditId],
  );
  return new Map(
    rows.map((r) => [Number(r.id), { contentType: r.content_type, alt: r.alt, base64: Buffer.from(r.bytes).toString('base64') }]),
  );
}

/** The audit's rows, pages in sample order, criteria in the referential's order. */
export async function gridRows(db: Queryable, a: AuditDetail, images?: Map<number, JsonImage>): Promise<JsonRow[]> {
  const rgaa = rgaaOf(a.rgaaVersion);
  const criteria = rgaa.auditCriteria(a.type);
  const cells = await loadCells(db, a.id);
  const processName = new Map(a.processes.map((p) => [p.id, p.name]));
  const rows: JsonRow[] = [];
  for (const page of a.pages) {
    const pageCells = cells.get(page.id) ?? new Map<string, Cell>();
    for (const criterion of criteria) {
      const cell = pageCells.get(criterion);
      rows.push({
        pagePosition: page.position,
        page: page.name,
        url: page.url,
        kind: page.kind,
        process: page.processId === null ? null : (processName.get(page.processId) ?? null),
        criterion,
        status: cell?.status ?? 'NT',
        note: cell?.note ?? '',
        items: (cell?.items ?? []).map((i) => {
          const image = images?.get(i.id);
          return {
            description: i.description,
            impact: i.impact,
            quickWin: i.quickWin,
            recommendation: i.recommendation,
            origin: i.origin,
            confirmed: i.confirmed,
            ...(image ? { image } : {}),
          };
        }),
      });
    }
  }
  return rows;
}

/** The rows as a table of texts (header first), for CSV, XLSX and ODS. */
export function gridTable(rows: JsonRow[]): string[][] {
  const maxItems = rows.reduce((n, r) => Math.max(n, r.items.length), 0);
  const header: string[] = [...BASE_COLUMNS];
  for (let n = 1; n <= maxItems; n++) for (const f of ITEM_FIELDS) header.push(itemHeader(n, f));
  const body = rows.map((r) => {
    const cells = [String(r.pagePosition), r.page, r.url ?? '', kindLabel(r.kind), r.process ?? '', r.criterion, r.status, r.note];
    for (let n = 0; n < maxItems; n++) {
      const i = r.items[n];
      if (!i) cells.push('', '', '', '', '');
      else
        cells.push(
          i.description,
          i.impact ?? '',
          i.quickWin ? 'oui' : 'non',
          i.recommendation,
          i.origin === 'manual' ? ORIGIN_TEXT.manual : i.confirmed ? ORIGIN_TEXT.automatic : ORIGIN_TEXT.automaticPending,
        );
    }
    return cells;
  });
  return [header, ...body];
}

export async function xlsxFile(table: string[][]): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook();
  const sheet = workbook.addWorksheet('Grille');
  for (const row of table) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function fileSlug(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'audit'
  );
}

export async function exportAudit(
  db: Queryable,
  auditId: number,
  format: ExportFormat,
): Promise<{ contentType: string; fileName: string; body: Buffer | string } | null> {
  const a = await getAudit(db, auditId);
  if (!a) return null;
  const rows = await gridRows(db, a, format === 'json' ? await auditImages(db, a.id) : undefined);
  const base = `grille-${fileSlug(a.name)}`;
  switch (format) {
    case 'json': {
      const doc: JsonExport = {
        format: 'vigie-audit-rgaa',
        formatVersion: 1,
        audit: {
          name: a.name,
          type: a.type,
          rgaaVersion: a.rgaaVersion,
          siteUrl: a.siteUrl,
          auditedBy: a.auditedBy,
          tools: a.tools,
          startedOn: a.startedOn,
          finishedOn: a.finishedOn,
          environments: a.environments.map((e) => ({
            assistiveTechnology: e.assistiveTechnology,
            browser: e.browser,
            operatingSystem: e.operatingSystem,
          })),
        },
        rows,
      };
      return { contentType: 'application/json; charset=utf-8', fileName: `${base}.json`, body: JSON.stringify(doc, null, 1) };
    }
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8', fileName: `${base}.csv`, body: csvText(gridTable(rows)) };
    case 'xlsx':
      return {
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName: `${base}.xlsx`,
        body: await xlsxFile(gridTable(rows)),
      };
    case 'ods':
      return {
        contentType: 'application/vnd.oasis.opendocument.spreadsheet',
        fileName: `${base}.ods`,
        body: odsFile(gridTable(rows), { sheetName: 'Grille' }),
      };
  }
}
