import pg from 'pg';
import type { Db, Queryable, QueryOptions } from './db.ts';
import { DATE_OID, INT8_OID, NUMERIC_OID, keepString, parseNumber } from './types.ts';

const types = {
  getTypeParser(oid: number, format?: any) {
    if (oid === INT8_OID || oid === NUMERIC_OID) return parseNumber;
    if (oid === DATE_OID) return keepString;
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PostgresOptions {
  /** Schema put first on the search path of every connection (tests use one schema per run). */
  schema?: string;
  max?: number;
}

/** A PostgreSQL server reached through a connection pool. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db & { pool: pg.Pool }> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: types as any,
    options: options.schema ? `-c search_path=${options.schema},public` : undefined,
  });
  pool.on('error', () => {
    // An idle client lost its connection: the pool replaces it; queries report their own errors.
  });
  let queryCount = 0;
  const db = {
    kind: 'postgres' as const,
    pool,
    get queryCount() {
      return queryCount;
    },
    async query<T>(text: string, params: unknown[] = [], options?: QueryOptions) {
      queryCount++;
      const result = options?.name
        ? await pool.query({ name: options.name, text, values: params as any[] })
        : await pool.query(text, params as any[]);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<R>(text: string, params: unknown[] = [], options?: QueryOptions) {
            queryCount++;
            const result = options?.name
              ? await client.query({ name: options.name, text, values: params as any[] })
              : await client.query(text, params as any[]);
            return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
          },
        };
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      queryCount++;
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
  return db;
}
