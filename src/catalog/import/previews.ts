import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../kernel/db/db.ts';
import type { ImportPlan, PlannedWrite } from './plan.ts';

export type ImportReport = Omit<ImportPlan, 'writes'> & { fileName: string; format: string };

export interface StoredPreview {
  id: string;
  user_id: number;
  file_name: string;
  report: ImportReport;
  writes: PlannedWrite[];
  created_at: Date;
  applied_at: Date | null;
  applied_result: { created: number; updated: number } | null;
}

/** A preview can be confirmed for this long; older ones are deleted when new ones are made. */
const KEEP_HOURS = 24;

export async function savePreview(db: Queryable, userId: number, fileName: string, format: string, plan: ImportPlan): Promise<string> {
  const id = randomBytes(16).toString('hex');
  const { writes, ...rest } = plan;
  const report: ImportReport = { ...rest, fileName, format };
  await db.query(`DELETE FROM catalog_import_previews WHERE created_at < now() - $1 * interval '1 hour'`, [KEEP_HOURS]);
  await db.query(
    'INSERT INTO catalog_import_previews (id, user_id, file_name, format, report, writes) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)',
    [id, userId, fileName, format, JSON.stringify(report), JSON.stringify(writes)],
  );
  return id;
}

/** The preview, only for the user who made it, and only while it is fresh. */
export async function loadPreview(db: Queryable, id: string, userId: number): Promise<StoredPreview | null> {
  if (!/^[0-9a-f]{32}$/.test(id)) return null;
  const { rows } = await db.query<StoredPreview>(
    `SELECT id, user_id, file_name, report, writes, created_at, applied_at, applied_result FROM catalog_import_previews
      WHERE id = $1 AND user_id = $2 AND created_at > now() - $3 * interval '1 hour'`,
    [id, userId, KEEP_HOURS],
  );
  return rows[0] ?? null;
}

/** Marks the preview applied; false when it already was (a double click, a replayed form). */
export async function markApplied(db: Queryable, id: string, result: { created: number; updated: number }): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE catalog_import_previews SET applied_at = now(), applied_result = $2::jsonb WHERE id = $1 AND applied_at IS NULL',
    [id, JSON.stringify(result)],
  );
  return rowCount === 1;
}
