import type { PGlite, Results } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Db } from '../db/db.ts';

/** What pg-boss's custom `db` option must provide. */
export interface PgBossExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number }>;
  /** Resolves once every statement sent so far has finished (pg-boss does not await its own complete/fail calls). */
  settled(): Promise<void>;
}

type EngineDb = Db & ({ pglite: PGlite } | { pool: pg.Pool });

/** Rows of every statement of a multi-statement text, in order: pg-boss reads them as one result. */
function mergeResults(results: Array<{ rows: any[]; affectedRows?: number; rowCount?: number | null }>): { rows: any[]; rowCount: number } {
  const rows = results.flatMap((r) => r.rows ?? []);
  const last = results[results.length - 1];
  return { rows, rowCount: rows.length || (last?.affectedRows ?? last?.rowCount ?? 0) };
}

function pgliteExecutor(pglite: PGlite) {
  return async (text: string, values?: unknown[]) => {
    if (values && values.length > 0) {
      const result = await pglite.query(text, values);
      return mergeResults([result]);
    }
    // Without parameters pg-boss may send several statements (schema set-up, BEGIN … COMMIT blocks): the extended
    // protocol refuses them in one prepared statement, the simple protocol (exec) runs them and returns each result.
    try {
      return mergeResults((await pglite.exec(text)) as Results[]);
    } catch (error) {
      // A failed BEGIN … COMMIT block leaves the single PGlite connection in an aborted transaction: end it here,
      // as a pool would discard the connection.
      if (pglite.isInTransaction()) await pglite.exec('ROLLBACK').catch(() => {});
      throw error;
    }
  };
}

function poolExecutor(pool: pg.Pool) {
  return async (text: string, values?: unknown[]) => {
    const result: any = await pool.query(text, values as any[]);
    // A multi-statement text (simple protocol) answers with one result per statement.
    return mergeResults(Array.isArray(result) ? result : [result]);
  };
}

/** Adapts our database (PGlite or a PostgreSQL pool) to pg-boss, which then needs no connection of its own. */
export function pgBossExecutor(db: Db): PgBossExecutor {
  const engine = db as EngineDb;
  const run = 'pglite' in engine ? pgliteExecutor(engine.pglite) : 'pool' in engine ? poolExecutor(engine.pool) : null;
  if (!run) throw new Error(`pg-boss cannot run on this database (${db.kind}): neither a PGlite instance nor a pool`);
  const pending = new Set<Promise<unknown>>();
  return {
    executeSql(text, values) {
      const promise = run(text, values);
      pending.add(promise);
      const forget = () => pending.delete(promise);
      promise.then(forget, forget);
      return promise;
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
