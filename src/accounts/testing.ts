/**
 * Test support: row counts (the catalogue fixture: src/catalog/testing.ts; users and sign-in: test/helpers/users.ts).
 * Only imported by tests.
 */
import type { Queryable } from '../kernel/db/db.ts';

export async function countRows(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}
