import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './kernel/config.ts';
import { openDatabase } from './kernel/db/open.ts';
import { migrate } from './kernel/db/migrate.ts';
import type { Db } from './kernel/db/db.ts';
import { buildServer } from './kernel/web/server.ts';
import type { AppDeps } from './kernel/web/deps.ts';
import { outboxMailer, smtpMailer } from './kernel/mail/smtp.ts';
import { registerMailWorker } from './kernel/mail/queue.ts';
import { createJobs } from './kernel/jobs/pgboss.ts';
import { demoState } from './kernel/web/render.ts';
import { MODULES } from './app.ts';
import { isDemoLoaded, markDemoLoaded, seedDemo } from './demo/seed.ts';

export interface Running {
  app: FastifyInstance;
  deps: AppDeps;
  stop(): Promise<void>;
}

function consoleLog(message: string, data: object) {
  process.stdout.write(JSON.stringify({ level: 30, time: Date.now(), msg: message, ...data }) + '\n');
}

/** Opens the database, applies migrations and builds every dependency the modules need. */
export async function openDeps(config: Config, db?: Db): Promise<AppDeps> {
  const database = db ?? (await openDatabase(config));
  await migrate(database);
  const mailer = config.smtp ? smtpMailer(config.smtp.url, config.smtp.from) : outboxMailer(database, consoleLog);
  return { config, db: database, mailer, jobs: null };
}

/** Loads the demo data on first start and prints the demo accounts. */
export async function ensureDemo(deps: AppDeps): Promise<void> {
  if (await isDemoLoaded(deps)) {
    demoState.loaded = true;
    return;
  }
  const result = await seedDemo(deps);
  await markDemoLoaded(deps);
  demoState.loaded = true;
  if (result.credentials.length) {
    const lines = result.credentials.map((c) => `  ${c.role.padEnd(40)} ${c.email.padEnd(40)} ${c.password}`);
    process.stdout.write(`\nDonnées de démonstration chargées. Comptes de démonstration :\n${lines.join('\n')}\n\n`);
  }
}

/** Starts Vigie: database, migrations, demo data on first start, jobs, HTTP server; stops cleanly on SIGTERM. */
export async function start(config: Config = loadConfig()): Promise<Running> {
  const deps = await openDeps(config);
  if (config.seedDemo) await ensureDemo(deps);
  if (config.runJobs) {
    deps.jobs = await createJobs(deps.db, { log: consoleLog });
    await registerMailWorker(deps);
  }
  const app = await buildServer(deps, MODULES);
  await app.listen({ port: config.port, host: config.host });
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close(); // in-flight requests finish before close resolves
      await deps.jobs?.stop();
      await deps.mailer.close();
      await deps.db.close();
    })());
  return { app, deps, stop };
}

export function stopOnSignals(running: Running): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.app.log.info({ signal }, 'shutting down');
      running.stop().then(
        () => process.exit(0),
        (error) => {
          running.app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
