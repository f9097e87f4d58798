/** Test support for the catalog (users and sign-in: test/helpers/users.ts). Tests only. */
import type { Queryable } from '../kernel/db/db.ts';

export async function procedureId(db: Queryable, stableId: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM procedures WHERE stable_id = $1', [stableId]);
  if (!rows[0]) throw new Error(`no procedure ${stableId}`);
  return rows[0].id;
}

export async function auditCount(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
}
