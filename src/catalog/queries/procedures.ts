import type { Queryable } from '../../kernel/db/db.ts';
import type { CurrentUser, ProcedurePlace } from '../../kernel/auth/scope.ts';
import type { RawProcedure } from '../validation.ts';
import { procedureScope } from '../../kernel/auth/scope.ts';
import { run, sql, type Sql } from '../../kernel/db/sql.ts';
import type { FranceConnectStatus, HelpChannel, OnlineStatus, ProcedureInput, UserCategory } from '../model.ts';
import type { CatalogFilters } from '../filters.ts';

export interface ProcedureRow {
  id: number;
  stable_id: string;
  slug: string;
  title: string;
  description: string;
  administration_id: number;
  administration_code: string;
  administration_name: string;
  ministry_id: number;
  ministry_code: string;
  ministry_name: string;
  url: string | null;
  info_url: string | null;
  user_categories: UserCategory[];
  volume_total: number | null;
  volume_online: number | null;
  online_status: OnlineStatus;
  franceconnect: FranceConnectStatus;
  in_scope: boolean;
  help_channels: HelpChannel[];
  is_demo: boolean;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const PROCEDURE_SELECT = `SELECT p.id, p.stable_id, p.slug, p.title, p.description, p.administration_id,
  a.code AS administration_code, a.name AS administration_name, a.ministry_id, m.code AS ministry_code, m.name AS ministry_name,
  p.url, p.info_url, p.user_categories, p.volume_total, p.volume_online, p.online_status, p.franceconnect, p.in_scope,
  p.help_channels, p.is_demo, p.archived_at, p.created_at, p.updated_at
  FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id`;

const SORTS: Record<CatalogFilters['sort'], string> = {
  titre: 'search_text(p.title)',
  volume: 'p.volume_total',
  administration: 'search_text(a.name)',
  statut: 'p.online_status',
};

/** The WHERE clause of the list, the exports and the counts: the filters of the query string within the user's scope. */
export function filterCondition(user: CurrentUser | null, filters: CatalogFilters): Sql {
  const parts: Sql[] = [user ? procedureScope(user) : sql`TRUE`];
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, '\\$&')}%`;
    parts.push(sql`(search_text(p.title) LIKE search_text(${pattern}) OR search_text(p.stable_id) LIKE search_text(${pattern}))`);
  }
  if (filters.ministere) parts.push(sql`m.code = ${filters.ministere}`);
  if (filters.administration) parts.push(sql`a.code = ${filters.administration}`);
  if (filters.public) parts.push(sql`${filters.public} = ANY(p.user_categories)`);
  if (filters.statut) parts.push(sql`p.online_status = ${filters.statut}`);
  if (filters.top250) parts.push(filters.top250 === 'oui' ? sql`p.in_scope` : sql`NOT p.in_scope`);
  if (filters.archives === '') parts.push(sql`p.archived_at IS NULL`);
  else if (filters.archives === 'seulement') parts.push(sql`p.archived_at IS NOT NULL`);
  return sql.join(parts, ' AND ');
}

export function orderBy(filters: CatalogFilters): string {
  const direction = filters.ordre === 'desc' ? 'DESC' : 'ASC';
  return `ORDER BY ${SORTS[filters.sort]} ${direction} NULLS LAST, p.id ${direction}`;
}

export const PAGE_SIZE = 50;

/** What the list page shows of a procedure (src/catalog/views/procedure-list.ts). */
export type ProcedureListRow = Pick<
  ProcedureRow,
  'id' | 'stable_id' | 'title' | 'administration_name' | 'volume_total' | 'online_status' | 'in_scope' | 'archived_at'
>;

/**
 * The list reads only the columns it shows: the window that counts the matching procedures carries every matching
 * row, and with the whole PROCEDURE_SELECT (description, help channels…) the page's query cost 7 ms of CPU on PGlite
 * instead of 4 (250 procedures; docs/performance.md).
 */
const LIST_SELECT = `SELECT count(*) OVER () AS total, p.id, p.stable_id, p.title, a.name AS administration_name,
  p.volume_total, p.online_status, p.in_scope, p.archived_at
  FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id`;

export async function listProcedures(
  db: Queryable,
  user: CurrentUser,
  filters: CatalogFilters,
): Promise<{ rows: ProcedureListRow[]; total: number }> {
  const where = filterCondition(user, filters);
  const { rows } = await run<ProcedureListRow & { total: number }>(
    db,
    sql`${sql.trusted(LIST_SELECT)} WHERE ${where} ${sql.trusted(orderBy(filters))} LIMIT ${PAGE_SIZE} OFFSET ${(filters.page - 1) * PAGE_SIZE}`,
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && filters.page > 1) {
    const count = await run<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id WHERE ${where}`,
    );
    total = count.rows[0].n;
  }
  return { rows, total };
}

export async function getProcedure(db: Queryable, id: number): Promise<ProcedureRow | null> {
  const { rows } = await db.query<ProcedureRow>(`${PROCEDURE_SELECT} WHERE p.id = $1`, [id]);
  return rows[0] ?? null;
}

/** What the audit log keeps of a procedure: its editable fields, readable on their own. */
export function procedureSnapshot(row: ProcedureRow | (ProcedureInput & { archived?: boolean })): Record<string, unknown> {
  if ('stable_id' in row) return { ...rowToInput(row), archived: row.archived_at !== null };
  return { ...row };
}

/** The procedure as the form and the import carry it before validation (text fields), without its administration. */
export function rowToRaw(p: ProcedureRow): RawProcedure {
  return {
    stable_id: p.stable_id,
    title: p.title,
    slug: p.slug,
    description: p.description,
    url: p.url ?? '',
    info_url: p.info_url ?? '',
    user_categories: p.user_categories,
    volume_total: p.volume_total === null ? '' : String(p.volume_total),
    volume_online: p.volume_online === null ? '' : String(p.volume_online),
    online_status: p.online_status,
    franceconnect: p.franceconnect,
    in_scope: p.in_scope ? 'oui' : 'non',
    help_channels: p.help_channels,
  };
}

/** Where the procedure stands, for the scope checks (`canReadProcedure`, `canEditProcedure`); any row with these three columns will do. */
export function procedurePlace(p: Pick<ProcedureRow, 'id' | 'administration_id' | 'ministry_id'>): ProcedurePlace {
  return { procedureId: Number(p.id), administrationId: Number(p.administration_id), ministryId: Number(p.ministry_id) };
}

/** Where a procedure stands, read by id; null when there is no such procedure. */
export async function loadProcedurePlace(db: Queryable, id: number): Promise<ProcedurePlace | null> {
  const { rows } = await db.query<Pick<ProcedureRow, 'id' | 'administration_id' | 'ministry_id'>>(
    'SELECT p.id, p.administration_id, a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1',
    [id],
  );
  return rows[0] ? procedurePlace(rows[0]) : null;
}

export function rowToInput(row: ProcedureRow): ProcedureInput {
  return {
    stableId: row.stable_id,
    title: row.title,
    slug: row.slug,
    description: row.description,
    administrationId: Number(row.administration_id),
    url: row.url,
    infoUrl: row.info_url,
    userCategories: row.user_categories,
    volumeTotal: row.volume_total,
    volumeOnline: row.volume_online,
    onlineStatus: row.online_status,
    franceconnect: row.franceconnect,
    inScope: row.in_scope,
    // jsonb reorders object keys: rebuild each channel so that comparisons with typed input hold.
    helpChannels: row.help_channels.map((c) => ({ kind: c.kind, label: c.label, value: c.value, hours: c.hours })),
  };
}

function values(input: ProcedureInput): unknown[] {
  return [
    input.stableId,
    input.slug,
    input.title,
    input.description,
    input.administrationId,
    input.url,
    input.infoUrl,
    input.userCategories,
    input.volumeTotal,
    input.volumeOnline,
    input.onlineStatus,
    input.franceconnect,
    input.inScope,
    JSON.stringify(input.helpChannels),
  ];
}

export async function insertProcedure(db: Queryable, input: ProcedureInput, isDemo = false): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO procedures (stable_id, slug, title, description, administration_id, url, info_url, user_categories,
       volume_total, volume_online, online_status, franceconnect, in_scope, help_channels, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15) RETURNING id`,
    [...values(input), isDemo],
  );
  return rows[0].id;
}

export async function updateProcedure(db: Queryable, id: number, input: ProcedureInput): Promise<void> {
  await db.query(
    `UPDATE procedures SET stable_id = $1, slug = $2, title = $3, description = $4, administration_id = $5, url = $6, info_url = $7,
       user_categories = $8, volume_total = $9, volume_online = $10, online_status = $11, franceconnect = $12, in_scope = $13,
       help_channels = $14::jsonb, updated_at = now()
     WHERE id = $15`,
    [...values(input), id],
  );
}

export async function setProcedureArchived(db: Queryable, id: number, archived: boolean): Promise<void> {
  await db.query(`UPDATE procedures SET archived_at = ${archived ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1`, [id]);
}

/** Which of these stable ids and slugs are already taken by another procedure than `exceptId`. */
export async function findConflicts(
  db: Queryable,
  stableId: string,
  slug: string,
  exceptId: number | null,
): Promise<{ stableId: boolean; slug: boolean }> {
  const { rows } = await db.query<{ stable_id: string; slug: string }>(
    'SELECT stable_id, slug FROM procedures WHERE (stable_id = $1 OR slug = $2) AND id IS DISTINCT FROM $3::bigint',
    [stableId, slug, exceptId],
  );
  return { stableId: rows.some((r) => r.stable_id === stableId), slug: rows.some((r) => r.slug === slug) };
}

export interface HistoryEntry {
  at: Date;
  actor_label: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The latest changes of a procedure, from the audit log. */
export async function procedureHistory(db: Queryable, id: number, limit = 20): Promise<HistoryEntry[]> {
  const { rows } = await db.query<HistoryEntry>(
    `SELECT at, actor_label, action, before, after FROM audit_log
      WHERE entity_type = 'procedure' AND entity_id = $1 ORDER BY id DESC LIMIT $2`,
    [String(id), limit],
  );
  return rows;
}
