/**
 * Background jobs benchmark: how fast pg-boss 10 takes and runs jobs on each engine through Vigie's adapter, and
 * what an idle worker costs (it polls the database). Loopback only; every wait is bounded.
 * Writes bench/results/jobs.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPglite } from '../src/kernel/db/pglite.ts';
import { openPostgres } from '../src/kernel/db/postgres.ts';
import type { Db } from '../src/kernel/db/db.ts';
import { createJobs } from '../src/kernel/jobs/pgboss.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const JOBS = Number(process.env.BENCH_JOBS ?? 500);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Figures {
  engine: string;
  sendPerSec: number;
  sendInTxPerSec: number;
  runPerSec: number;
  /** CPU time the process spends per second with one idle worker polling every 2 s (default settings). */
  idleCpuMsPerSec: number;
  /** The same process without jobs, for comparison. */
  baselineCpuMsPerSec: number;
}

async function cpuMsPerSecond(seconds: number): Promise<number> {
  const start = process.cpuUsage();
  await sleep(seconds * 1000);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / seconds;
}

async function measure(engine: string, db: Db): Promise<Figures> {
  const baselineCpuMsPerSec = await cpuMsPerSecond(IDLE_SECONDS / 2);
  const schema = `pgboss_bench_${randomBytes(4).toString('hex')}`;
  const jobs = await createJobs(db, { schema });
  try {
    let done = 0;
    let allDone: () => void = () => {};
    const finished = new Promise<void>((resolve) => (allDone = resolve));
    await jobs.work('bench.job', async () => {
      if (++done === JOBS * 2) allDone();
    });
    await sleep(3000); // the worker's first polls are over: what follows is idle
    const idleCpuMsPerSec = await cpuMsPerSecond(IDLE_SECONDS);

    let t0 = performance.now();
    for (let i = 0; i < JOBS; i++) await jobs.send('bench.job', { i });
    const sendMs = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < JOBS; i++) await db.transaction((tx) => jobs.send('bench.job', { i }, { tx }));
    const sendInTxMs = performance.now() - t0;
    // Running started during the sends; time from the first send to the last job run, bounded.
    const runStart = performance.now() - sendMs - sendInTxMs;
    await Promise.race([finished, sleep(300_000)]);
    const runMs = performance.now() - runStart;
    return {
      engine,
      sendPerSec: (JOBS / sendMs) * 1000,
      sendInTxPerSec: (JOBS / sendInTxMs) * 1000,
      runPerSec: done === JOBS * 2 ? ((JOBS * 2) / runMs) * 1000 : NaN,
      idleCpuMsPerSec,
      baselineCpuMsPerSec,
    };
  } finally {
    await jobs.stop();
    await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

export async function run(): Promise<void> {
  const results: (Figures | { engine: string; skipped: string })[] = [];
  const pglite = await openPglite();
  try {
    results.push(await measure('PGlite', pglite));
  } finally {
    await pglite.close();
  }
  try {
    const probe = new pg.Client({ connectionString: ADMIN_URL });
    await probe.connect();
    await probe.end();
    const db = await openPostgres(ADMIN_URL);
    try {
      results.push(await measure('PostgreSQL', db));
    } finally {
      await db.close();
    }
  } catch (error) {
    results.push({ engine: 'PostgreSQL', skipped: `serveur injoignable (${ADMIN_URL}) : ${(error as Error).message}` });
  }

  const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'non mesuré');
  const rows = results.map((r) =>
    'skipped' in r
      ? `| ${r.engine} | ${r.skipped} | | | |`
      : `| ${r.engine} | ${f(r.sendPerSec)} /s | ${f(r.sendInTxPerSec)} /s | ${f(r.runPerSec)} /s | ${f(r.idleCpuMsPerSec, 1)} ms/s (sans tâches : ${f(r.baselineCpuMsPerSec, 1)} ms/s) |`,
  );
  const report = `# Banc d’essai « tâches de fond » (dernière exécution)

Produit par \`npm run bench -- bench/jobs.ts\`, réécrit à chaque exécution.

- date : ${new Date().toISOString()}
- processeur : ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cœurs (machine partagée avec d’autres processus)
- Node.js ${process.version}, pg-boss 10, un seul worker (un travail à la fois), réglages par défaut de \`createJobs\`

${JOBS} travaux envoyés un par un, puis ${JOBS} autres chacun dans sa propre transaction (\`{ tx }\`) ; un worker les
exécute pendant ce temps (débit d’exécution : du premier envoi au dernier travail fini). Coût au repos : temps CPU du
processus par seconde pendant ${IDLE_SECONDS} s avec un worker inactif qui interroge la base toutes les 2 s.

| base | envois | envois en transaction | exécutions | CPU au repos |
|---|---|---|---|---|
${rows.join('\n')}
`;
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/jobs.md'), report);
  console.log(report);
}
