import type { Queryable } from '../db/db.ts';

/** Background work kept in PostgreSQL (pg-boss), on both engines. */
export interface Job<T = any> {
  id: string;
  name: string;
  data: T;
  /** How many times this job already failed and was retried (0 on the first attempt). */
  retryCount?: number;
}

export interface SendOptions {
  singletonKey?: string;
  startAfter?: number | string | Date;
  /** Attempts after the first failure; `retryDelay` seconds between them, doubled each time with `retryBackoff`. */
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  /**
   * Enqueue inside this transaction: the job exists only if the transaction commits. Required when sending from
   * inside `db.transaction(…)` (on PGlite, a send outside the transaction would wait for it forever). The queue must
   * already be in use in this process (its worker registered at start).
   */
  tx?: Queryable;
}

export interface Jobs {
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string | null>;
  work<T = any>(name: string, handler: (job: Job<T>) => Promise<void>): Promise<void>;
  schedule(name: string, cron: string, data?: object): Promise<void>;
  stop(): Promise<void>;
}
