import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../kernel/db/db.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { DEFAULT_QUERY, type TableQuery } from '../table/filters.ts';
import { rowsOf, tableRows, viewSql, type TableRow } from '../table/query.ts';
import { rowOut } from './serialize.ts';

/**
 * The API list rows of published editions, rendered once by `rowOut` (the serializer of the live path) and stored in
 * `obs_edition_rows`: a list call then reads at most one page of JSON fragments and joins them as text.
 */

const keys = new WeakMap<IndicatorDefinition[], string>();

/** What a rendered row depends on besides the edition's data: the indicators' slugs, units and order. */
export function defsKey(defs: IndicatorDefinition[]): string {
  let key = keys.get(defs);
  if (!key) {
    const text = defs.map((d) => `${d.slug}:${d.unit}`).join(',');
    key = createHash('sha256').update(text).digest('base64url').slice(0, 16);
    keys.set(defs, key);
  }
  return key;
}

async function store(tx: Queryable, editionId: number, rows: TableRow[], defs: IndicatorDefinition[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO obs_edition_rows (edition_id, procedure_id, defs_key, json)
     SELECT $1, u.procedure_id, $2, u.json FROM unnest($3::bigint[], $4::text[]) AS u(procedure_id, json)
     ON CONFLICT (edition_id, procedure_id) DO UPDATE SET defs_key = excluded.defs_key, json = excluded.json`,
    [editionId, defsKey(defs), rows.map((r) => r.procedure.procedureId), rows.map((r) => JSON.stringify(rowOut(defs, r)))],
  );
}

/**
 * Renders rows of an edition from what is stored (the same reads as the live path): every row, or only these
 * procedures (a correction). Call it inside the transaction that changed them.
 */
export async function renderRows(tx: Queryable, editionId: number, defs: IndicatorDefinition[], procedureIds: number[] | null = null): Promise<void> {
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

/** Renders every row of a published edition again, in its own transaction (rows missing or rendered with other indicators). */
export function rerenderEdition(db: Db, editionId: number, defs: IndicatorDefinition[]): Promise<void> {
  return db.transaction(async (tx) => {
    // Serialises concurrent re-renderings and corrections of this edition.
    await tx.query('SELECT 1 FROM obs_editions WHERE id = $1 FOR UPDATE', [editionId]);
    await renderRows(tx, editionId, defs);
  });
}

/**
 * One page of a view as stored JSON fragments, in one query (the same filters and order as `tablePage`), or null when
 * a row of the page is missing or was rendered with other indicators (the caller renders the edition again).
 */
export async function storedPage(db: Queryable, editionId: number, q: TableQuery, defs: IndicatorDefinition[]): Promise<{ total: number; items: string[] } | null> {
  const { from, where, order, params } = viewSql(editionId, q);
  params.push(q.perPage, (q.page - 1) * q.perPage);
  const { rows } = await db.query(
    `SELECT r.json, r.defs_key, page.total
       FROM (SELECT ep.procedure_id, count(*) OVER () AS total, row_number() OVER (ORDER BY ${order}) AS position
               FROM ${from} WHERE ${where} ORDER BY position
              LIMIT $${params.length - 1} OFFSET $${params.length}) page
       LEFT JOIN obs_edition_rows r ON r.edition_id = $1 AND r.procedure_id = page.procedure_id
      ORDER BY page.position`,
    params,
  );
  const key = defsKey(defs);
  const items: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].defs_key !== key) return null;
    items[i] = rows[i].json;
  }
  let total = rows.length ? Number(rows[0].total) : 0;
  if (rows.length === 0 && q.page > 1) {
    const { rows: c } = await db.query(`SELECT count(*) AS n FROM ${from} WHERE ${where}`, params.slice(0, -2));
    total = Number(c[0].n);
  }
  return { total, items };
}
