/** The one database interface every module uses, whatever the engine behind it (PGlite or a PostgreSQL server). */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Runs the statement as a named prepared statement: PostgreSQL parses and plans it once per connection instead of at
   * every call (PGlite ignores it). One name, one text: derive the name from the text.
   */
  name?: string;
}

export interface Queryable {
  query<T = Record<string, any>>(text: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<T>>;
}

export type DbKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements without parameters (migrations, scripts). */
  exec(sql: string): Promise<void>;
  /** Number of queries sent since the database was opened (used by tests that guard against N+1 queries). */
  readonly queryCount: number;
  close(): Promise<void>;
}
