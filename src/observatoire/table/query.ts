import type { Queryable } from '../../kernel/db/db.ts';
import { toSnapshot, type CellValue, type ProcedureSnapshot } from '../editions/compute.ts';
import type { TableQuery } from './filters.ts';

export interface TableProcedure extends ProcedureSnapshot {
  onlineStatus: string | null;
}

export interface TableRow {
  procedure: TableProcedure;
  values: Record<string, CellValue>;
}

/**
 * The conditions on the procedure's own columns (search, ministry, administration, user category, online status),
 * shared by the live view and the API's stored rows, which carry the same columns under `alias`; adds to `params`.
 */
export function procedureFilters(alias: string, q: TableQuery, params: unknown[]): string[] {
  const where: string[] = [];
  if (q.q) {
    params.push(q.q.replace(/[\\%_]/g, (c) => `\\${c}`));
    where.push(`${alias}.search LIKE '%' || search_text($${params.length}) || '%'`);
  }
  if (q.ministry) {
    params.push(q.ministry);
    where.push(`${alias}.ministry_id = $${params.length}`);
  }
  if (q.administration) {
    params.push(q.administration);
    where.push(`${alias}.administration_id = $${params.length}`);
  }
  if (q.category) {
    params.push(q.category);
    where.push(`$${params.length} = ANY(${alias}.user_categories)`);
  }
  if (q.online) {
    params.push(q.online);
    where.push(`${alias}.online_status = $${params.length}`);
  }
  return where;
}

/** FROM/WHERE/ORDER BY of a view of an edition, with its parameters ($1 is the edition). */
export function viewSql(editionId: number, q: TableQuery): { from: string; where: string; order: string; params: unknown[] } {
  const params: unknown[] = [editionId];
  const where = ['ep.edition_id = $1'];
  let from = 'obs_edition_procedures ep';
  where.push(...procedureFilters('ep', q, params));
  if (q.indicator && q.level) {
    params.push(q.indicator, q.level);
    where.push(`EXISTS (SELECT 1 FROM obs_edition_values f WHERE f.edition_id = ep.edition_id AND f.procedure_id = ep.procedure_id
                 AND f.indicator = $${params.length - 1} AND f.colour = $${params.length})`);
  }
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  let order: string;
  if (q.sort === 'titre') order = `ep.title ${dir}, ep.procedure_id`;
  else if (q.sort === 'ministere') order = `ep.ministry_name ${dir}, ep.administration_name ${dir}, ep.title, ep.procedure_id`;
  else {
    params.push(q.sort);
    from += ` LEFT JOIN obs_edition_values s ON s.edition_id = ep.edition_id AND s.procedure_id = ep.procedure_id AND s.indicator = $${params.length}`;
    // Gray states (no measure, « à venir », not enough reviews…) always come after measured values, in both directions.
    order = `(s.sort_value IS NULL), s.sort_value ${dir}, s.label, ep.title, ep.procedure_id`;
  }
  return { from, where: where.join(' AND '), order, params };
}

function toProcedure(r: Record<string, any>): TableProcedure {
  return { ...toSnapshot(r), onlineStatus: r.online_status };
}

const PROCEDURE_COLUMNS = `ep.procedure_id, ep.stable_id, ep.slug, ep.title, ep.url, ep.ministry_id, ep.ministry_name, ep.administration_id,
  ep.administration_name, ep.user_categories, ep.online_status`;

/** The values of these procedures in one query (never one query per row). */
async function valuesOf(db: Queryable, editionId: number, procedures: TableProcedure[]): Promise<TableRow[]> {
  if (procedures.length === 0) return [];
  const { rows } = await db.query(
    `SELECT procedure_id, indicator, raw_value, sort_value, label, colour, goal FROM obs_edition_values
      WHERE edition_id = $1 AND procedure_id = ANY($2::bigint[])`,
    [editionId, procedures.map((p) => p.procedureId)],
  );
  const byId = new Map<number, Record<string, CellValue>>(procedures.map((p) => [p.procedureId, {}]));
  for (const r of rows) {
    byId.get(Number(r.procedure_id))![r.indicator] = { raw: r.raw_value, sortValue: r.sort_value, label: r.label, colour: r.colour, goal: r.goal };
  }
  return procedures.map((procedure) => ({ procedure, values: byId.get(procedure.procedureId)! }));
}

/** These procedures of an edition with their values, in two queries whatever their number. */
export async function rowsOf(db: Queryable, editionId: number, procedureIds: number[]): Promise<TableRow[]> {
  const { rows } = await db.query(
    `SELECT ${PROCEDURE_COLUMNS} FROM obs_edition_procedures ep WHERE ep.edition_id = $1 AND ep.procedure_id = ANY($2::bigint[])`,
    [editionId, procedureIds],
  );
  return valuesOf(db, editionId, rows.map(toProcedure));
}

function cellsOf(json: Record<string, [string | null, number | null, string, string, boolean | null]> | null): Record<string, CellValue> {
  const cells: Record<string, CellValue> = {};
  for (const [indicator, [raw, sortValue, label, colour, goal]] of Object.entries(json ?? {})) {
    cells[indicator] = { raw, sortValue, label, colour: colour as CellValue['colour'], goal };
  }
  return cells;
}

/**
 * One page of a view in a single query whatever the page size: the page's rows are numbered in the view's order,
 * counted, cut, and only then joined to their values (one JSON object per row).
 */
export async function tablePage(db: Queryable, editionId: number, q: TableQuery): Promise<{ total: number; rows: TableRow[] }> {
  const { from, where, order, params } = viewSql(editionId, q);
  params.push(q.perPage, (q.page - 1) * q.perPage);
  const { rows } = await db.query(
    `SELECT page.*,
            (SELECT json_object_agg(v.indicator, json_build_array(v.raw_value, v.sort_value, v.label, v.colour, v.goal))
               FROM obs_edition_values v WHERE v.edition_id = $1 AND v.procedure_id = page.procedure_id) AS cells
       FROM (SELECT ${PROCEDURE_COLUMNS}, count(*) OVER () AS total, row_number() OVER (ORDER BY ${order}) AS position
               FROM ${from} WHERE ${where} ORDER BY position
              LIMIT $${params.length - 1} OFFSET $${params.length}) page
      ORDER BY page.position`,
    params,
  );
  let total = rows.length ? Number(rows[0].total) : 0;
  if (rows.length === 0 && q.page > 1) {
    const { rows: c } = await db.query(`SELECT count(*) AS n FROM ${from} WHERE ${where}`, params.slice(0, -2));
    total = Number(c[0].n);
  }
  return { total, rows: rows.map((r) => ({ procedure: toProcedure(r), values: cellsOf(r.cells) })) };
}

/** Every row of a view, in batches, for exports: memory stays bounded whatever the size of the edition. */
export async function* tableRows(db: Queryable, editionId: number, q: TableQuery, batchSize = 1000): AsyncGenerator<TableRow> {
  const { from, where, order, params } = viewSql(editionId, q);
  for (let offset = 0; ; offset += batchSize) {
    const { rows } = await db.query(
      `SELECT ${PROCEDURE_COLUMNS} FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT ${batchSize} OFFSET ${offset}`,
      params,
    );
    for (const row of await valuesOf(db, editionId, rows.map(toProcedure))) yield row;
    if (rows.length < batchSize) return;
  }
}
