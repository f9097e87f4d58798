import type { Queryable } from '../../kernel/db/db.ts';

export interface Edition {
  id: number;
  name: string;
  period: string;
  windowStart: string;
  windowEnd: string;
  status: 'draft' | 'published';
  ruleVersion: number | null;
  publishedAt: Date | null;
  createdAt: Date;
}

export interface EditionInput {
  name: string;
  period: string;
  windowStart: string;
  windowEnd: string;
}

const COLUMNS = 'id, name, period, window_start, window_end, status, rule_version, published_at, created_at';

function toEdition(r: Record<string, any>): Edition {
  return {
    id: Number(r.id),
    name: r.name,
    period: r.period,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    status: r.status,
    ruleVersion: r.rule_version,
    publishedAt: r.published_at,
    createdAt: r.created_at,
  };
}

export async function getEdition(db: Queryable, id: number): Promise<Edition | null> {
  if (!Number.isSafeInteger(id)) return null;
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM obs_editions WHERE id = $1`, [id]);
  return rows[0] ? toEdition(rows[0]) : null;
}

/** Published editions, newest first. */
export async function listPublished(db: Queryable): Promise<Edition[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM obs_editions WHERE status = 'published' ORDER BY published_at DESC, id DESC`);
  return rows.map(toEdition);
}

export async function listAll(db: Queryable): Promise<Edition[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM obs_editions ORDER BY (status = 'draft') DESC, published_at DESC NULLS LAST, id DESC`,
  );
  return rows.map(toEdition);
}

export async function latestPublished(db: Queryable): Promise<Edition | null> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM obs_editions WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 1`,
  );
  return rows[0] ? toEdition(rows[0]) : null;
}

/** The edition published just before this one (for deltas), or null. */
export async function previousPublished(db: Queryable, edition: Edition): Promise<Edition | null> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM obs_editions WHERE status = 'published' AND (published_at, id) < ($1, $2)
      ORDER BY published_at DESC, id DESC LIMIT 1`,
    [edition.publishedAt, edition.id],
  );
  return rows[0] ? toEdition(rows[0]) : null;
}

export async function createDraft(db: Queryable, input: EditionInput, userId: number | null): Promise<number> {
  const { rows } = await db.query(
    `INSERT INTO obs_editions (name, period, window_start, window_end, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [input.name, input.period, input.windowStart, input.windowEnd, userId],
  );
  return Number(rows[0].id);
}

/** Deletes a draft; published editions are refused (and protected by a trigger). Rows hanging off it cascade. */
export async function deleteDraft(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM obs_editions WHERE id = $1 AND status = 'draft'`, [id]);
  return rowCount === 1;
}
