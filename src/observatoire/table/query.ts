import type { Queryable } from '../../kernel/db/db.ts';
import { run, sql, type Sql } from '../../kernel/db/sql.ts';
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
 * shared by the live view and the API's stored rows, which carry the same columns under `alias` (code, not input).
 */
export function procedureFilters(alias: string, q: TableQuery): Sql[] {
  const column = (name: string) => sql.identifier(`${alias}.${name}`);
  const where: Sql[] = [];
  if (q.q) where.push(sql`${column('search')} LIKE '%' || search_text(${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}) || '%'`);
  if (q.ministry) where.push(sql`${column('ministry_id')} = ${q.ministry}`);
  if (q.administration) where.push(sql`${column('administration_id')} = ${q.administration}`);
  if (q.category) where.push(sql`${q.category} = ANY(${column('user_categories')})`);
  if (q.online) where.push(sql`${column('online_status')} = ${q.online}`);
  return where;
}

/** FROM/WHERE/ORDER BY of a view of an edition, as fragments of the `sql` tagged template. */
export function viewSql(editionId: number, q: TableQuery): { from: Sql; where: Sql; order: Sql } {
  const where = [sql`ep.edition_id = ${editionId}`, ...procedureFilters('ep', q)];
  let from = sql`obs_edition_procedures ep`;
  if (q.indicator && q.level) {
    where.push(sql`EXISTS (SELECT 1 FROM obs_edition_values f WHERE f.edition_id = ep.edition_id AND f.procedure_id = ep.procedure_id
                 AND f.indicator = ${q.indicator} AND f.colour = ${q.level})`);
  }
  const dir = sql.trusted(q.order === 'desc' ? 'DESC' : 'ASC');
  let order: Sql;
  if (q.sort === 'titre') order = sql`ep.title ${dir}, ep.procedure_id`;
  else if (q.sort === 'ministere') order = sql`ep.ministry_name ${dir}, ep.administration_name ${dir}, ep.title, ep.procedure_id`;
  else {
    from = sql`${from} LEFT JOIN obs_edition_values s ON s.edition_id = ep.edition_id AND s.procedure_id = ep.procedure_id AND s.indicator = ${q.sort}`;
    // Gray states (no measure, « à venir », not enough reviews…) always come after measured values, in both directions.
    order = sql`(s.sort_value IS NULL), s.sort_value ${dir}, s.label, ep.title, ep.procedure_id`;
  }
  return { from, where: sql.join(where, ' AND '), order };
}

function toProcedure(r: Record<string, any>): TableProcedure {
  return { ...toSnapshot(r), onlineStatus: r.online_status };
}

const PROCEDURE_COLUMNS = `ep.procedure_id, ep.stable_id, ep.slug, ep.title, ep.url, ep.ministry_id, ep.ministry_name, ep.administration_id,
  ep.administration_name, ep.user_categories, ep.online_status`;
const COLUMNS = sql.trusted(PROCEDURE_COLUMNS);

/** The values of these procedures in one query (never one query per row). */
async function valuesOf(db: Queryable, editionId: number, procedures: TableProcedure[]): Promise<TableRow[]> {
  if (procedures.length === 0) return [];
  const { rows } = await db.query(
    `SELECT procedure_id, indicator, raw_value, sort_value, label, colour, goal, entered_by_hand FROM obs_edition_values
      WHERE edition_id = $1 AND procedure_id = ANY($2::bigint[])`,
    [editionId, procedures.map((p) => p.procedureId)],
  );
  const byId = new Map<number, Record<string, CellValue>>(procedures.map((p) => [p.procedureId, {}]));
  for (const r of rows) {
    byId.get(Number(r.procedure_id))![r.indicator] = {
      raw: r.raw_value,
      sortValue: r.sort_value,
      label: r.label,
      colour: r.colour,
      goal: r.goal,
      enteredByHand: r.entered_by_hand === true,
    };
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

function cellsOf(
  json: Record<string, [string | null, number | null, string, string, boolean | null, boolean]> | null,
): Record<string, CellValue> {
  const cells: Record<string, CellValue> = {};
  for (const [indicator, [raw, sortValue, label, colour, goal, enteredByHand]] of Object.entries(json ?? {})) {
    cells[indicator] = { raw, sortValue, label, colour: colour as CellValue['colour'], goal, enteredByHand: enteredByHand === true };
  }
  return cells;
}

/**
 * One page of a view in a single query whatever the page size: the page's rows are numbered in the view's order,
 * counted, cut, and only then joined to their values (one JSON object per row).
 */
export async function tablePage(db: Queryable, editionId: number, q: TableQuery): Promise<{ total: number; rows: TableRow[] }> {
  const { from, where, order } = viewSql(editionId, q);
  const { rows } = await run(
    db,
    sql`SELECT page.*,
            (SELECT json_object_agg(v.indicator, json_build_array(v.raw_value, v.sort_value, v.label, v.colour, v.goal, v.entered_by_hand))
               FROM obs_edition_values v WHERE v.edition_id = ${editionId} AND v.procedure_id = page.procedure_id) AS cells
       FROM (SELECT ${COLUMNS}, count(*) OVER () AS total, row_number() OVER (ORDER BY ${order}) AS position
               FROM ${from} WHERE ${where} ORDER BY position
              LIMIT ${q.perPage} OFFSET ${(q.page - 1) * q.perPage}) page
      ORDER BY page.position`,
  );
  let total = rows.length ? Number(rows[0].total) : 0;
  if (rows.length === 0 && q.page > 1) {
    const { rows: c } = await run(db, sql`SELECT count(*) AS n FROM ${from} WHERE ${where}`);
    total = Number(c[0].n);
  }
  return { total, rows: rows.map((r) => ({ procedure: toProcedure(r), values: cellsOf(r.cells) })) };
}

/** Every row of a view, in batches, for exports: memory stays bounded whatever the size of the edition. */
export async function* tableRows(db: Queryable, editionId: number, q: TableQuery, batchSize = 1000): AsyncGenerator<TableRow> {
  const { from, where, order } = viewSql(editionId, q);
  for (let offset = 0; ; offset += batchSize) {
    const { rows } = await run(
      db,
      sql`SELECT ${COLUMNS} FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT ${batchSize} OFFSET ${offset}`,
    );
    for (const row of await valuesOf(db, editionId, rows.map(toProcedure))) yield row;
    if (rows.length < batchSize) return;
  }
}
