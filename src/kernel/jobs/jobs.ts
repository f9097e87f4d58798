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
}

export interface Jobs {
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string | null>;
  work<T = any>(name: string, handler: (job: Job<T>) => Promise<void>): Promise<void>;
  schedule(name: string, cron: string, data?: object): Promise<void>;
  stop(): Promise<void>;
}
