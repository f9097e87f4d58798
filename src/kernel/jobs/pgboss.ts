import PgBoss from 'pg-boss';
import type { Db } from '../db/db.ts';
import type { Job, Jobs, SendOptions } from './jobs.ts';
import { pgBossExecutor } from './pgboss-db.ts';

export interface JobsOptions {
  /** Schema of pg-boss's tables (tests use one of their own, `pgboss_<random>`). */
  schema?: string;
  /** How often an idle worker looks for new jobs; pg-boss allows 0.5 s at least. */
  pollingIntervalSeconds?: number;
  /** Runs cron schedules and maintenance (archiving, expiry); off for short-lived processes such as tests. */
  maintenance?: boolean;
  log?: (message: string, data: object) => void;
}

/** Retries used when the sender says nothing: a few attempts spaced out, as for a mail server briefly down. */
const DEFAULT_RETRY = { retryLimit: 3, retryDelay: 30, retryBackoff: true };

/** Starts pg-boss on our database (PGlite or PostgreSQL) and returns the `Jobs` the modules use. */
export async function createJobs(db: Db, options: JobsOptions = {}): Promise<Jobs> {
  const executor = pgBossExecutor(db);
  const log = options.log ?? (() => {});
  const maintenance = options.maintenance ?? true;
  const boss = new PgBoss({
    db: executor as PgBoss.Db,
    schema: options.schema ?? 'pgboss',
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    schedule: maintenance,
    supervise: maintenance,
  });
  // Without a listener an 'error' event would throw: a failed poll is logged and the worker tries again.
  boss.on('error', (error: any) => log('job queue error', { error: String(error?.message ?? error), queue: error?.queue }));
  await boss.start();

  const queues = new Map<string, Promise<void>>();
  const readyQueues = new Set<string>();
  const ensureQueue = (name: string) => {
    let ready = queues.get(name);
    if (!ready) {
      ready = boss.createQueue(name, { name, ...DEFAULT_RETRY }).then(() => void readyQueues.add(name));
      ready.catch(() => queues.delete(name));
      queues.set(name, ready);
    }
    return ready;
  };

  let running = 0;
  let stopping: Promise<void> | null = null;
  /**
   * pg-boss 10 waits a whole polling interval after each job, even when more are waiting: a worker told "look again"
   * after each job runs them back to back, and one told after a send picks the new job up at once.
   */
  const workersOf = new Map<string, string[]>();
  const wakeWorkers = (name: string) => {
    if (!stopping) for (const id of workersOf.get(name) ?? []) boss.notifyWorker(id);
  };

  return {
    async send<T extends object>(name: string, data: T, sendOptions: SendOptions = {}) {
      const { tx, ...options } = sendOptions;
      if (!tx) {
        await ensureQueue(name);
        const id = await boss.send(name, data, options);
        wakeWorkers(name);
        return id;
      }
      // Creating the queue needs a connection of its own, which a PGlite transaction holds: it must exist already.
      if (!readyQueues.has(name))
        throw new Error(`The queue ${name} is not ready: register its worker at start before sending inside a transaction`);
      const inTransaction: PgBoss.Db = { executeSql: (text, values) => tx.query(text, values) };
      return boss.send(name, data, { ...options, db: inTransaction });
    },

    async work<T>(name: string, handler: (job: Job<T>) => Promise<void>) {
      await ensureQueue(name);
      const workerId = await boss.work<T>(name, { includeMetadata: true, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) {
          running++;
          try {
            await handler({ id: job.id, name: job.name, data: job.data, retryCount: job.retryCount });
          } catch (error) {
            log('job failed', { queue: name, id: job.id, attempt: job.retryCount + 1, error: String((error as Error)?.message ?? error) });
            throw error;
          } finally {
            running--;
            wakeWorkers(name);
          }
        }
      });
      workersOf.set(name, [...(workersOf.get(name) ?? []), workerId]);
    },

    async schedule(name: string, cron: string, data?: object) {
      await ensureQueue(name);
      await boss.schedule(name, cron, data ?? {}, { tz: 'Europe/Paris' });
    },

    stop() {
      return (stopping ??= (async () => {
        await boss.stop({ graceful: true, wait: true, close: false, timeout: 20_000 });
        // A handler still running past pg-boss's grace period, and the outcome writes pg-boss does not await, must
        // finish before the database closes.
        const giveUpAt = Date.now() + 20_000;
        do {
          await executor.settled();
          if (running > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        } while (running > 0 && Date.now() < giveUpAt);
        await executor.settled();
      })());
    },
  };
}
