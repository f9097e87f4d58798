/**
 * Per-request work of the pages the foundation benchmark loads (`/catalogue` for a signed-in admin with 250
 * procedures, `/` anonymous and signed in), measured in a way a busy machine distorts little: CPU time of the process
 * per request (process.cpuUsage around n sequential `app.inject`; on PGlite it includes the database, which runs in the
 * process), queries per request, bytes of HTML. Wall time is given too but depends on the load.
 *
 * Compare two source trees by interleaving their batches (each tree runs in a child process of its own, same data):
 *   git worktree add --detach ../old <commit> && cp -al node_modules ../old/node_modules
 *   PER_REQUEST_COMPARE=../old npm run bench -- bench/per-request.ts
 * Settings: PER_REQUEST_ENGINES=pglite,postgres (default both; PostgreSQL at BENCH_POSTGRES_URL), PER_REQUEST_N=200
 * requests per batch, PER_REQUEST_ROUNDS=5 batches per tree, PER_REQUEST_PROFILE=<dir> writes a CPU profile of each
 * measured batch (inspector, set-up excluded; read it with bench/lib/profile-summary.ts), PER_REQUEST_TRACE=true prints the queries of one request of each page.
 * Prints a Markdown table (medians of the rounds); writes no file.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import type { PageFigures } from './lib/per-request-worker.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = path.join(ROOT, 'bench/lib/per-request-worker.ts');

interface Worker {
  label: string;
  child: ChildProcess;
  next(): Promise<any>;
}

function startWorker(label: string, root: string, engine: string, profileDir: string | null): Promise<Worker> {
  const child = fork(WORKER, [], {
    cwd: root,
    execArgv: ['--import', 'tsx', '--max-semi-space-size=4'],
    env: {
      ...process.env,
      PER_REQUEST_ROOT: root,
      PER_REQUEST_ENGINE: engine,
      ...(profileDir ? { PER_REQUEST_PROFILE: profileDir } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const queue: any[] = [];
  const waiting: ((m: any) => void)[] = [];
  child.on('message', (m) => (waiting.length ? waiting.shift()!(m) : queue.push(m)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${label} (${engine}) s’est arrêté (code ${code})`))),
  );
  const next = () =>
    Promise.race([queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)), exited]);
  exited.catch(() => {});
  return next().then(() => ({ label, child, next }));
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** This tree, and before it the one named by PER_REQUEST_COMPARE (a worktree of an older commit), if any. */
function treesToCompare(): { label: string; root: string }[] {
  const trees = [{ label: 'cet arbre', root: ROOT }];
  if (process.env.PER_REQUEST_COMPARE) {
    const other = path.resolve(process.env.PER_REQUEST_COMPARE);
    trees.unshift({ label: path.basename(other), root: other });
  }
  return trees;
}

/** The line that opens a run's output: cores, load now, and how the run measures. */
function machineLine(method: string): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  return `Machine : ${os.cpus().length} cœurs, charge ${load} ; ${method}.`;
}

export async function run(): Promise<void> {
  if (process.env.PER_REQUEST_MODE === 'server') return runServers();
  const engines = (process.env.PER_REQUEST_ENGINES ?? 'pglite,postgres').split(',');
  const n = Number(process.env.PER_REQUEST_N ?? 200);
  const rounds = Number(process.env.PER_REQUEST_ROUNDS ?? 5);
  const profileDir = process.env.PER_REQUEST_PROFILE ? path.resolve(process.env.PER_REQUEST_PROFILE) : null;
  const trees = treesToCompare();
  console.log(machineLine(`${rounds} tours de ${n} requêtes par page et par arbre, alternés`));
  for (const engine of engines) {
    const workers: Worker[] = [];
    try {
      for (const tree of trees) {
        console.log(`${engine} : préparation de ${tree.label} (démonstration + 250 démarches)…`);
        workers.push(await startWorker(tree.label, tree.root, engine, profileDir));
      }
      if (process.env.PER_REQUEST_TRACE === 'true')
        for (const w of workers) {
          w.child.send({ trace: true });
          const { traces } = await w.next();
          for (const [page, queries] of Object.entries(traces as Record<string, string[]>)) {
            console.log(`\n${w.label}, ${engine}, ${page} : ${queries.length} requêtes SQL`);
            for (const q of queries) console.log(`  - ${q.slice(0, 300)}`);
          }
        }
      const results = new Map<string, PageFigures[][]>(workers.map((w) => [w.label, []]));
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? workers : [...workers].reverse();
        for (const w of order) {
          w.child.send({ batch: n });
          results.get(w.label)!.push((await w.next()).figures);
        }
      }
      console.log(`\n${engine} — médianes de ${rounds} tours (CPU de chaque tour entre parenthèses) :\n`);
      console.log('| arbre | page | CPU µs/requête | durée µs/requête | requêtes SQL/requête | octets | statuts |');
      console.log('|---|---|---|---|---|---|---|');
      for (const w of workers) {
        const batches = results.get(w.label)!;
        batches[0].forEach((first, i) => {
          const cpu = batches.map((b) => b[i].cpuUsPerRequest);
          const wall = batches.map((b) => b[i].wallUsPerRequest);
          console.log(
            `| ${w.label} | ${first.page} | ${median(cpu).toFixed(0)} (${cpu.map((c) => c.toFixed(0)).join(' ; ')}) | ${median(wall).toFixed(0)} | ${first.queriesPerRequest.toFixed(2)} | ${first.bytes} | ${first.statuses.join(', ')} |`,
          );
        });
      }
    } finally {
      for (const w of workers) {
        w.child.send({ stop: true });
        await w.next().catch(() => {});
      }
    }
  }
}

/** CPU seconds (user + system, every thread) a process has used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * PER_REQUEST_MODE=server: the real server of each tree (`node bin/vigie.js serve` from its dist/, jobs running, as
 * bench/foundation.ts starts it), measured from outside through /proc: CPU while idle (background jobs), CPU per
 * `/catalogue` request sent one at a time, and CPU per request under autocannon's 10 connections (a fixed number of
 * requests, so that the figure does not depend on how fast the machine answers).
 */
async function runServers(): Promise<void> {
  const engines = (process.env.PER_REQUEST_ENGINES ?? 'pglite,postgres').split(',');
  const n = Number(process.env.PER_REQUEST_N ?? 200);
  const rounds = Number(process.env.PER_REQUEST_ROUNDS ?? 3);
  const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const trees = treesToCompare();
  console.log(machineLine(`serveurs réels, ${rounds} tours alternés`));
  for (const engine of engines) {
    const servers: { label: string; pid: number; origin: string; cookie: string; stop(): Promise<void> }[] = [];
    const cleanups: (() => Promise<void>)[] = [];
    const starts: Start[] = [];
    try {
      for (const tree of trees) {
        const load = (file: string) => import(pathToFileURL(path.join(tree.root, file)).href);
        const { startServer, buildDist } = await load('bench/lib/server-process.ts');
        const { prepareCatalogue } = await load('bench/lib/catalogue-fixture.ts');
        const { openDatabase } = await load('src/kernel/db/open.ts');
        const { openPostgres } = await load('src/kernel/db/postgres.ts');
        const dataDir = path.join(tree.root, 'bench/results/tmp', `per-request-server-${randomBytes(4).toString('hex')}`);
        mkdirSync(dataDir, { recursive: true });
        cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
        const env: Record<string, string> = { VIGIE_DATA_DIR: dataDir };
        if (engine === 'postgres') {
          const name = `vigie_perreq_${randomBytes(4).toString('hex')}`;
          const admin = new pg.Client({ connectionString: adminUrl });
          await admin.connect();
          await admin.query(`CREATE DATABASE ${name}`);
          await admin.end();
          cleanups.push(async () => {
            const a = new pg.Client({ connectionString: adminUrl });
            await a.connect();
            await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            await a.end();
          });
          const url = new URL(adminUrl);
          url.pathname = `/${name}`;
          env.DATABASE_URL = url.toString();
        }
        console.log(`${engine} : ${tree.label}, compilation et premier démarrage (démonstration)…`);
        buildDist();
        await (await startServer(env, { timeoutMs: 600_000 })).stop();
        const db = env.DATABASE_URL
          ? await openPostgres(env.DATABASE_URL, { max: 1 })
          : await openDatabase({ dataDir, pgliteOptimize: true });
        const fixture = await prepareCatalogue(db, 250).finally(() => db.close());
        if (process.env.PER_REQUEST_MODE_STARTUP === 'true') {
          starts.push({ label: tree.label, env, cookie: fixture.cookie, startServer });
          continue;
        }
        const server = await startServer(env);
        servers.push({ label: tree.label, pid: server.child.pid, origin: server.origin, cookie: fixture.cookie, stop: server.stop });
      }
      if (starts.length) {
        await measureStartups(engine, starts, rounds);
        continue;
      }
      const figures = new Map(servers.map((s) => [s.label, { idle: [] as number[], sequential: [] as number[], loaded: [] as number[] }]));
      for (const s of servers)
        await (autocannon as any)({ url: `${s.origin}/catalogue`, connections: 10, amount: 200, headers: { cookie: s.cookie } });
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? servers : [...servers].reverse();
        for (const s of order) {
          const f = figures.get(s.label)!;
          let before = cpuSeconds(s.pid);
          await sleep(10_000);
          f.idle.push(((cpuSeconds(s.pid) - before) / 10) * 100);
          before = cpuSeconds(s.pid);
          for (let i = 0; i < n; i++) {
            const res = await fetch(`${s.origin}/catalogue`, { headers: { cookie: s.cookie } });
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`/catalogue : ${res.status}`);
          }
          f.sequential.push(((cpuSeconds(s.pid) - before) / n) * 1e6);
          before = cpuSeconds(s.pid);
          const result = await (autocannon as any)({
            url: `${s.origin}/catalogue`,
            connections: 10,
            amount: n * 2,
            headers: { cookie: s.cookie },
          });
          if (result.non2xx || result.errors)
            throw new Error(`/catalogue sous charge : ${result.non2xx} non-2xx, ${result.errors} erreurs`);
          f.loaded.push(((cpuSeconds(s.pid) - before) / (n * 2)) * 1e6);
        }
      }
      console.log(`\n${engine}, serveurs réels — médianes de ${rounds} tours (chaque tour entre parenthèses) :\n`);
      console.log('| arbre | CPU au repos (% d’un cœur, 10 s) | CPU µs/requête, une à la fois | CPU µs/requête, 10 connexions |');
      console.log('|---|---|---|---|');
      const cell = (v: number[], digits = 0) => `${median(v).toFixed(digits)} (${v.map((x) => x.toFixed(digits)).join(' ; ')})`;
      for (const s of servers) {
        const f = figures.get(s.label)!;
        console.log(`| ${s.label} | ${cell(f.idle, 1)} | ${cell(f.sequential)} | ${cell(f.loaded)} |`);
      }
    } finally {
      for (const s of servers) await s.stop();
      for (const c of cleanups) await c().catch(() => {});
    }
  }
}

interface Start {
  label: string;
  env: Record<string, string>;
  cookie: string;
  startServer: (env: Record<string, string>) => Promise<{ child: ChildProcess; origin: string; stop(): Promise<void> }>;
}

/**
 * PER_REQUEST_MODE=server PER_REQUEST_MODE_STARTUP=true: what bench/foundation.ts does, restart after restart, trees
 * alternated: the server started, the CPU it uses in the 10 s after its first page without any request (start-up
 * jobs), then `/catalogue` under autocannon for 10 s right after a fresh start (the foundation bench's load): requests
 * served and CPU per request.
 */
async function measureStartups(engine: string, starts: Start[], rounds: number): Promise<void> {
  const figures = new Map(starts.map((s) => [s.label, { afterStart: [] as number[], requests: [] as number[], cpu: [] as number[] }]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? starts : [...starts].reverse();
    for (const s of order) {
      const f = figures.get(s.label)!;
      let server = await s.startServer(s.env);
      try {
        const before = cpuSeconds(server.child.pid!);
        await sleep(10_000);
        f.afterStart.push(((cpuSeconds(server.child.pid!) - before) / 10) * 100);
      } finally {
        await server.stop();
      }
      server = await s.startServer(s.env);
      try {
        const probe = await fetch(`${server.origin}/catalogue`, { headers: { cookie: s.cookie } });
        await probe.arrayBuffer();
        const before = cpuSeconds(server.child.pid!);
        const result = await autocannon({
          url: `${server.origin}/catalogue`,
          connections: 10,
          duration: 10,
          headers: { cookie: s.cookie },
        });
        const used = cpuSeconds(server.child.pid!) - before;
        f.requests.push(result.requests.total);
        f.cpu.push((used / result.requests.total) * 1e6);
      } finally {
        await server.stop();
      }
    }
  }
  console.log(`\n${engine}, démarrages — médianes de ${rounds} tours (chaque tour entre parenthèses) :\n`);
  console.log(
    '| arbre | CPU des 10 s après la première page, sans requête (% d’un cœur) | requêtes servies en 10 s juste après le démarrage | CPU µs/requête pendant ces 10 s |',
  );
  console.log('|---|---|---|---|');
  const cell = (v: number[], digits = 0) => `${median(v).toFixed(digits)} (${v.map((x) => x.toFixed(digits)).join(' ; ')})`;
  for (const s of starts) {
    const f = figures.get(s.label)!;
    console.log(`| ${s.label} | ${cell(f.afterStart, 1)} | ${cell(f.requests)} | ${cell(f.cpu)} |`);
  }
}
