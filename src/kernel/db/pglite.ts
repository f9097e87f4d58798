import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Db, Queryable, QueryResult } from './db.ts';
import { PGLITE_CONF } from './pglite-init.ts';
import { DATE_OID, INT8_OID, NUMERIC_OID, keepString, parseNumber } from './types.ts';

const parsers = { [INT8_OID]: parseNumber, [NUMERIC_OID]: parseNumber, [DATE_OID]: keepString };

function wrap<T>(result: { rows: T[]; affectedRows?: number }): QueryResult<T> {
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

/** Embedded PostgreSQL (WebAssembly), persisted in `dataDir`, or in memory when `dataDir` is undefined. */
export async function openPglite(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<Db & { pglite: PGlite }> {
  const pglite = new PGlite({
    dataDir,
    parsers,
    loadDataDir: options.loadDataDir,
    extensions: { unaccent, pg_trgm },
    postgresqlconf: PGLITE_CONF,
  });
  await pglite.waitReady;
  let queryCount = 0;
  const db = {
    kind: 'pglite' as const,
    pglite,
    get queryCount() {
      return queryCount;
    },
    async query<T>(text: string, params: unknown[] = []) {
      queryCount++;
      return wrap(await pglite.query<T>(text, params));
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction(async (tx) => {
        const queryable: Queryable = {
          async query<R>(text: string, params: unknown[] = []) {
            queryCount++;
            return wrap(await tx.query<R>(text, params));
          },
        };
        return fn(queryable);
      });
    },
    async exec(sql: string) {
      queryCount++;
      await pglite.exec(sql);
    },
    async close() {
      await pglite.close();
    },
  };
  return db;
}
