/**
 * Child process of bench/per-request.ts: builds the app of the source tree PER_REQUEST_ROOT (this tree or another
 * checkout) on its own database with the demo data and 250 procedures, then answers the parent's orders over IPC:
 * `{ batch: n }` runs n sequential `app.inject` of each page and reports, per page, the CPU time of this process (Node
 * and, on PGlite, the database), the wall time, the queries sent and the bytes of the answer.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

const root = process.env.PER_REQUEST_ROOT ?? process.cwd();
const engine = process.env.PER_REQUEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const load = (file: string) => import(pathToFileURL(path.join(root, file)).href);

export interface PageFigures {
  page: string;
  requests: number;
  cpuUsPerRequest: number;
  wallUsPerRequest: number;
  queriesPerRequest: number;
  bytes: number;
  statuses: number[];
}

const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

async function main(): Promise<void> {
  const { loadConfig } = await load('src/kernel/config.ts');
  const { openDeps, ensureDemo } = await load('src/start.ts');
  const { buildServer } = await load('src/kernel/web/server.ts');
  const { MODULES } = await load('src/app.ts');
  const { prepareCatalogue } = await load('bench/lib/catalogue-fixture.ts');

  const dataDir = path.join(root, 'bench/results/tmp', `per-request-${randomBytes(4).toString('hex')}`);
  mkdirSync(dataDir, { recursive: true });
  let databaseName: string | null = null;
  let databaseUrl: string | undefined;
  if (engine === 'postgres') {
    databaseName = `vigie_perreq_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
  const cleanup = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseName) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.end();
    }
  };

  try {
    const config = loadConfig(
      {
        VIGIE_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        PUBLIC_URL: 'http://localhost:3000',
        SESSION_SECRET: 'per-request-benchmark-secret-0123456789',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      },
      { seedDemo: true, runJobs: false },
    );
    const deps = await openDeps(config);
    await ensureDemo(deps);
    const fixture = await prepareCatalogue(deps.db, 250);
    const app = await buildServer(deps, MODULES);
    await app.ready();
    const pages: { page: string; headers: Record<string, string> }[] = [
      { page: '/catalogue', headers: { cookie: fixture.cookie } },
      { page: '/', headers: {} },
      { page: '/', headers: { cookie: fixture.cookie } },
    ];
    /** Queries of the traced request: text and milliseconds (median of TRACE_RUNS requests). */
    const trace: { text: string; ms: number[] }[] = [];
    let tracing = -1;
    const query = deps.db.query.bind(deps.db);
    deps.db.query = (async (text: string, ...rest: unknown[]) => {
      if (tracing < 0) return (query as (...a: unknown[]) => unknown)(text, ...rest);
      const index = tracing++;
      // One query at a time while tracing (a page may send several at once): each one's own duration.
      const turn = serial.then(async () => {
        const started = performance.now();
        try {
          return await (query as (...a: unknown[]) => unknown)(text, ...rest);
        } finally {
          trace[index] ??= { text: text.replace(/\s+/g, ' ').trim(), ms: [] };
          trace[index].ms.push(performance.now() - started);
        }
      });
      serial = turn.catch(() => {});
      return turn;
    }) as typeof deps.db.query;
    let serial: Promise<unknown> = Promise.resolve();
    const TRACE_RUNS = 21;

    const run = async (n: number): Promise<PageFigures[]> => {
      const figures: PageFigures[] = [];
      for (const { page, headers } of pages) {
        const statuses = new Set<number>();
        let bytes = 0;
        const queries = deps.db.queryCount;
        const cpu = process.cpuUsage();
        const started = process.hrtime.bigint();
        for (let i = 0; i < n; i++) {
          const res = await app.inject({ method: 'GET', url: page, headers });
          statuses.add(res.statusCode);
          bytes = res.rawPayload.length;
        }
        const wall = Number(process.hrtime.bigint() - started) / 1000;
        const used = process.cpuUsage(cpu);
        figures.push({
          page: headers.cookie ? `${page} (connecté)` : `${page} (anonyme)`,
          requests: n,
          cpuUsPerRequest: (used.user + used.system) / n,
          wallUsPerRequest: wall / n,
          queriesPerRequest: (deps.db.queryCount - queries) / n,
          bytes,
          statuses: [...statuses],
        });
      }
      return figures;
    };

    await run(30); // warm-up: JIT, prepared statements, caches
    await send({ ready: true });
    // PER_REQUEST_PROFILE=<dir>: a CPU profile of the measured batches only (not of the set-up), one file per tree.
    const profileDir = process.env.PER_REQUEST_PROFILE;
    const session = profileDir ? new Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
    }
    process.on('message', async (message: { batch?: number; trace?: boolean; stop?: boolean }) => {
      if (message.batch) {
        await session?.post('Profiler.start');
        const figures = await run(message.batch);
        if (session && profileDir) {
          const { profile } = await session.post('Profiler.stop');
          mkdirSync(profileDir, { recursive: true });
          writeFileSync(path.join(profileDir, `${engine}-${path.basename(root)}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
        }
        await send({ figures });
      } else if (message.trace) {
        const traces: Record<string, string[]> = {};
        for (const { page, headers } of pages) {
          trace.length = 0;
          for (let i = 0; i < TRACE_RUNS; i++) {
            tracing = 0;
            await app.inject({ method: 'GET', url: page, headers });
          }
          tracing = -1;
          traces[headers.cookie ? `${page} (connecté)` : `${page} (anonyme)`] = trace.map(
            (q) => `${q.ms.sort((a, b) => a - b)[q.ms.length >> 1].toFixed(2)} ms — ${q.text}`,
          );
        }
        await send({ traces });
      } else if (message.stop) {
        await app.close();
        await deps.db.close();
        await cleanup();
        await send({ stopped: true });
        process.exit(0);
      }
    });
  } catch (error) {
    await cleanup().catch(() => {});
    throw error;
  }
}

await main();
