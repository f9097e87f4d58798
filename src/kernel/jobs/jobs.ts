/** Background work kept in PostgreSQL (pg-boss), on both engines. */
export interface Job<T = any> {
  id: string;
  name: string;
  data: T;
}

export interface Jobs {
  send<T extends object>(name: string, data: T, options?: { singletonKey?: string; startAfter?: number | string | Date }): Promise<string | null>;
  work<T = any>(name: string, handler: (job: Job<T>) => Promise<void>): Promise<void>;
  schedule(name: string, cron: string, data?: object): Promise<void>;
  stop(): Promise<void>;
}
