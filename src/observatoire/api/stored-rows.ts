import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../kernel/db/db.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { remember } from '../cache/public-cache.ts';
import { DEFAULT_QUERY, type TableQuery } from '../table/filters.ts';
import { procedureFilters, rowsOf, tableRows, type TableRow } from '../table/query.ts';
import { sql, type Sql } from '../../kernel/db/sql.ts';
import { rowOut } from './serialize.ts';

/**
 * The API list rows of published editions, rendered once by `rowOut` (the serializer of the live path) and stored in
 * `obs_edition_rows` with the columns the filters and sorts need: a list call reads one page of this table and joins
 * the JSON fragments as text. Drafts are never rendered (their preview is computed live).
 */

// Across servers: nothing to invalidate, a pure function of the definitions object it is keyed by (itself dropped as
// the indicators cache is, rules/repository.ts).
const ROW_FORMAT = 2;
const keys = new WeakMap<IndicatorDefinition[], string>();

/**
 * What a rendered row depends on besides the edition's data: the indicators' slugs, units and order, and the format of
 * a cell (ROW_FORMAT, raised when `rowOut` gains a field, e.g. `enteredByHand`: rows stored before are rendered again).
 */
export function defsKey(defs: IndicatorDefinition[]): string {
  let key = keys.get(defs);
  if (!key) {
    const text = `${ROW_FORMAT}|${defs.map((d) => `${d.slug}:${d.unit}`).join(',')}`;
    key = createHash('sha256').update(text).digest('base64url').slice(0, 16);
    keys.set(defs, key);
  }
  return key;
}

/** A PostgreSQL array literal (`{1.5,NULL}`, `{"say \\"hi\\"",NULL}`): one text per row, cast in SQL. */
function arrayLiteral(values: (string | number | null | undefined)[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `"${v.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

/**
 * The procedure columns are copied from the edition's snapshot; the per-indicator sort keys, labels and colours come
 * from the cells just read (the ones the live path sorts and filters on), in the order of `defs`; the JSON from `rowOut`.
 */
async function store(tx: Queryable, editionId: number, rows: TableRow[], defs: IndicatorDefinition[]): Promise<void> {
  if (rows.length === 0) return;
  const cells = (r: TableRow) => defs.map((d) => r.values[d.slug]);
  await tx.query(
    `INSERT INTO obs_edition_rows AS r (edition_id, procedure_id, title, ministry_id, ministry_name, administration_id, administration_name,
            user_categories, online_status, search, sort_values, labels, colours, defs_key, json)
     SELECT ep.edition_id, ep.procedure_id, ep.title, ep.ministry_id, ep.ministry_name, ep.administration_id, ep.administration_name,
            ep.user_categories, ep.online_status, ep.search, u.sort_values::float8[], u.labels::text[], u.colours::text[], $2, u.json
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(procedure_id, sort_values, labels, colours, json)
       JOIN obs_edition_procedures ep ON ep.edition_id = $1 AND ep.procedure_id = u.procedure_id
     ON CONFLICT (edition_id, procedure_id) DO UPDATE SET title = excluded.title, ministry_id = excluded.ministry_id,
            ministry_name = excluded.ministry_name, administration_id = excluded.administration_id,
            administration_name = excluded.administration_name, user_categories = excluded.user_categories,
            online_status = excluded.online_status, search = excluded.search, sort_values = excluded.sort_values,
            labels = excluded.labels, colours = excluded.colours, defs_key = excluded.defs_key, json = excluded.json`,
    [
      editionId,
      defsKey(defs),
      rows.map((r) => r.procedure.procedureId),
      rows.map((r) => arrayLiteral(cells(r).map((c) => c?.sortValue))),
      rows.map((r) => arrayLiteral(cells(r).map((c) => c?.label))),
      rows.map((r) => arrayLiteral(cells(r).map((c) => c?.colour))),
      rows.map((r) => JSON.stringify(rowOut(defs, r))),
    ],
  );
}

/**
 * Renders rows of an edition from what is stored (the same reads as the live path): every row, or only these
 * procedures (a correction). Call it inside the transaction that changed them.
 */
export async function renderRows(
  tx: Queryable,
  editionId: number,
  defs: IndicatorDefinition[],
  procedureIds: number[] | null = null,
): Promise<void> {
  if (procedureIds) return store(tx, editionId, await rowsOf(tx, editionId, procedureIds), defs);
  let batch: TableRow[] = [];
  for await (const row of tableRows(tx, editionId, DEFAULT_QUERY)) {
    batch.push(row);
    if (batch.length === 1000) {
      await store(tx, editionId, batch, defs);
      batch = [];
    }
  }
  await store(tx, editionId, batch, defs);
}

/**
 * Planner statistics of the rows' key columns, after an edition's rows are written: without them the new edition looks
 * empty and the page query reads the whole edition once per row of the page (20 ms instead of 1 ms on the bench data).
 * A small sample of the columns the reads filter on only: 10-20 ms, where a full ANALYZE of these wide rows takes 1 s.
 */
export function analyzeRows(db: Db): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL default_statistics_target = 10');
    await tx.query('ANALYZE obs_edition_rows (edition_id, procedure_id, ministry_id, administration_id)');
  });
}

/** Renders every row of a published edition again, in its own transaction. */
export async function rerenderEdition(db: Db, editionId: number, defs: IndicatorDefinition[]): Promise<void> {
  await db.transaction(async (tx) => {
    // Serialises concurrent re-renderings and corrections of this edition.
    await tx.query('SELECT 1 FROM obs_editions WHERE id = $1 FOR UPDATE', [editionId]);
    await renderRows(tx, editionId, defs);
  });
  await analyzeRows(db);
}

/**
 * Makes sure every row of the edition is rendered for these indicators (editions published before the rows existed,
 * indicators changed by a migration), checked once per edition until the next bump of the public cache.
 */
export function ensureRendered(db: Db, editionId: number, defs: IndicatorDefinition[]): Promise<void> {
  const key = defsKey(defs);
  return remember(db, `rows:${editionId}:${key}`, async () => {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM obs_edition_procedures WHERE edition_id = $1) AS procedures,
              (SELECT count(*) FROM obs_edition_rows WHERE edition_id = $1 AND defs_key = $2) AS rendered`,
      [editionId, key],
    );
    if (Number(rows[0].rendered) !== Number(rows[0].procedures)) await rerenderEdition(db, editionId, defs);
  });
}

/** WHERE/ORDER BY of a view over the stored rows: the same filters and order as `viewSql` (table/query.ts). */
function storedViewSql(editionId: number, q: TableQuery, defs: IndicatorDefinition[]): { where: Sql; order: Sql } {
  const where = [sql`r.edition_id = ${editionId}`, ...procedureFilters('r', q)];
  if (q.indicator && q.level) where.push(sql`r.colours[${defs.findIndex((d) => d.slug === q.indicator) + 1}::int] = ${q.level}`);
  const dir = sql.trusted(q.order === 'desc' ? 'DESC' : 'ASC');
  let order: Sql;
  if (q.sort === 'titre') order = sql`r.title ${dir}, r.procedure_id`;
  else if (q.sort === 'ministere') order = sql`r.ministry_name ${dir}, r.administration_name ${dir}, r.title, r.procedure_id`;
  else {
    const i = defs.findIndex((d) => d.slug === q.sort) + 1;
    // Gray states (no measure, « à venir », not enough reviews…) always come after measured values, in both directions.
    order = sql`(r.sort_values[${i}::int] IS NULL), r.sort_values[${i}::int] ${dir}, r.labels[${i}::int], r.title, r.procedure_id`;
  }
  return { where: sql.join(where, ' AND '), order };
}

/** The name of a statement prepared once per connection: one per distinct text. */
function statementName(text: string): string {
  return `obs_rows_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}

/**
 * One page of a view as stored JSON fragments, in one query (run `ensureRendered` first), or null when a row of the
 * page was rendered with other indicators meanwhile (the caller renders the edition again).
 */
export async function storedPage(
  db: Queryable,
  editionId: number,
  q: TableQuery,
  defs: IndicatorDefinition[],
): Promise<{ total: number; items: string[] } | null> {
  const { where, order } = storedViewSql(editionId, q, defs);
  // The page is chosen on narrow rows (procedure ids), then its JSON is read and put back in the same order: carrying
  // the JSON through the count and the sort costs more than 50 lookups by primary key when the view is large.
  const { text, values } = sql`SELECT r.json, r.defs_key, page.total
                  FROM (SELECT r.procedure_id, count(*) OVER () AS total FROM obs_edition_rows r WHERE ${where}
                         ORDER BY ${order} LIMIT ${q.perPage} OFFSET ${(q.page - 1) * q.perPage}) page
                  JOIN obs_edition_rows r ON r.edition_id = ${editionId} AND r.procedure_id = page.procedure_id
                 ORDER BY ${order}`.toQuery();
  const { rows } = await db.query(text, values, { name: statementName(text) });
  const key = defsKey(defs);
  const items: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].defs_key !== key) return null;
    items[i] = rows[i].json;
  }
  let total = rows.length ? Number(rows[0].total) : 0;
  if (rows.length === 0 && q.page > 1) {
    const count = sql`SELECT count(*) AS n FROM obs_edition_rows r WHERE ${where}`.toQuery();
    const { rows: c } = await db.query(count.text, count.values, { name: statementName(count.text) });
    total = Number(c[0].n);
  }
  return { total, items };
}
