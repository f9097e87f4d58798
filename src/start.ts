import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './kernel/config.ts';
import { openDatabase, pgliteDir } from './kernel/db/open.ts';
import { pgliteDataDirExists } from './kernel/db/pglite-init.ts';
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

/**
 * On a new PGlite data folder, migrations and demo data are loaded by `vigie seed-demo` in a short-lived child process:
 * WebAssembly memory never shrinks, and the server would otherwise keep for good the ~80 MB that loading touched.
 */
function seedNewPgliteInChild(config: Config): void {
  if (config.databaseUrl || !config.seedDemo || pgliteDataDirExists(pgliteDir(config.dataDir))) return;
  const self = fileURLToPath(import.meta.url);
  const extension = path.extname(self); // .ts from the sources (through tsx), .js from dist/
  const main = path.join(path.dirname(self), 'cli', `main${extension}`);
  const script = `const { main } = await import(${JSON.stringify(main)}); await main(['seed-demo']);`;
  execFileSync(process.execPath, [...(extension === '.ts' ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script], {
    stdio: 'inherit',
    env: {
      ...process.env,
      DATABASE_URL: '',
      VIGIE_DEMO: 'true',
      VIGIE_DATA_DIR: config.dataDir,
      VIGIE_PGLITE_OPTIMIZE: String(config.pgliteOptimize),
    },
  });
}

/** The address to open in a browser: the public URL, or the listening address when the public URL is the default one. */
function readyUrl(app: FastifyInstance, config: Config): string {
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const listening = `http://${host}:${port}`;
  return config.publicUrl === `http://localhost:${config.port}` ? listening : `${config.publicUrl} (écoute sur ${listening})`;
}

/** Starts Vigie: database, migrations, demo data on first start, jobs, HTTP server; stops cleanly on SIGTERM. */
export async function start(config: Config = loadConfig()): Promise<Running> {
  seedNewPgliteInChild(config);
  const deps = await openDeps(config);
  if (config.seedDemo) await ensureDemo(deps);
  if (config.runJobs) {
    deps.jobs = await createJobs(deps.db, { log: consoleLog });
    await registerMailWorker(deps);
  }
  const app = await buildServer(deps, MODULES);
  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`Vigie est prête sur ${readyUrl(app, config)}\n`);
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
