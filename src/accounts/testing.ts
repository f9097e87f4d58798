/**
 * Test support for every module: a small catalogue and row counts (users and sign-in: test/helpers/users.ts).
 * Only imported by tests.
 */
import type { Queryable } from '../kernel/db/db.ts';

export interface TestCatalog {
  ministries: [number, number];
  administrations: [number, number];
  procedures: [number, number];
  procedureStableIds: [string, string];
}

/** Two ministries, each with one administration and one procedure: enough to test in and out of scope. */
export async function createTestCatalog(db: Queryable, prefix = 't'): Promise<TestCatalog> {
  const ids: number[][] = [[], [], []];
  const stable: string[] = [];
  for (const n of [1, 2]) {
    const m = await db.query<{ id: number }>('INSERT INTO ministries (code, name) VALUES ($1, $2) RETURNING id', [`${prefix}-min-${n}`, `Ministère de test ${n}`]);
    const a = await db.query<{ id: number }>('INSERT INTO administrations (ministry_id, code, name) VALUES ($1, $2, $3) RETURNING id', [
      m.rows[0].id,
      `${prefix}-adm-${n}`,
      `Administration de test ${n}`,
    ]);
    const stableId = `${prefix}-proc-${n}`;
    const p = await db.query<{ id: number }>('INSERT INTO procedures (stable_id, slug, title, administration_id) VALUES ($1, $1, $2, $3) RETURNING id', [
      stableId,
      `Démarche de test ${n}`,
      a.rows[0].id,
    ]);
    ids[0].push(m.rows[0].id);
    ids[1].push(a.rows[0].id);
    ids[2].push(p.rows[0].id);
    stable.push(stableId);
  }
  return {
    ministries: ids[0] as [number, number],
    administrations: ids[1] as [number, number],
    procedures: ids[2] as [number, number],
    procedureStableIds: stable as [string, string],
  };
}

export async function countRows(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}
