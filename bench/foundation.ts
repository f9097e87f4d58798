/**
 * Foundation benchmark: start-up time (empty and existing data folder), idle memory on PGlite and PostgreSQL, and the
 * throughput of the catalogue page with 250 procedures. Loopback only; every wait is bounded.
 * Writes bench/results/foundation.md and the figures block of docs/performance.md.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../src/kernel/db/open.ts';
import { openPostgres } from '../src/kernel/db/postgres.ts';
import type { Db } from '../src/kernel/db/db.ts';
import { prepareCatalogue } from './lib/catalogue-fixture.ts';
import { buildDist, rssMb, startServer, type ServerProcess } from './lib/server-process.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP = path.join(ROOT, 'bench/results/tmp');
const PROCEDURES = 250;
const LOAD = { connections: 10, duration: 10 };
/** Idle means: first page served, then nothing for this long (lazy work done, timers settled). */
const IDLE_SETTLE_MS = 5_000;
const TARGETS = { firstStartMs: 15_000, restartMs: 3_000, idleRssMb: 200 };
/** The machine is shared: restarts are timed several times and the median is kept. */
const RESTARTS = 3;
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface EngineFigures {
  engine: 'PGlite' | 'PostgreSQL';
  firstStartMs: number;
  /** Idle RSS after the first start (demo just loaded). */
  firstIdleRssMb: number | null;
  restartMs: number;
  restartsMs: number[];
  idleRssMb: number | null;
  /** Idle RSS of variants tried to bring the memory down (Node flags, no background jobs). */
  variants: { label: string; idleRssMb: number | null }[];
  catalogue: { label: string; figures: CatalogueFigures | { skipped: string } }[];
}

/** Settings that trade a little for memory, measured on PGlite to document what they save. */
const PGLITE_VARIANTS: { label: string; env: Record<string, string>; nodeArgs: string[] }[] = [
  { label: 'tâches de fond coupées (VIGIE_JOBS=false)', env: { VIGIE_JOBS: 'false' }, nodeArgs: [] },
  {
    label: 'sources TypeScript chargées par tsx au lieu de dist/ (VIGIE_FROM_SOURCES=true)',
    env: { VIGIE_FROM_SOURCES: 'true' },
    nodeArgs: [],
  },
  { label: 'VIGIE_PGLITE_OPTIMIZE=true (WebAssembly recompilé par TurboFan)', env: { VIGIE_PGLITE_OPTIMIZE: 'true' }, nodeArgs: [] },
  {
    label: 'node --max-semi-space-size=1 (jeune génération de 1 Mo au lieu des 4 Mo de npm start)',
    env: {},
    nodeArgs: ['--max-semi-space-size=1'],
  },
  {
    label: 'node --max-semi-space-size=16 (jeune génération par défaut de V8, sans le réglage de npm start)',
    env: {},
    nodeArgs: ['--max-semi-space-size=16'],
  },
];

interface CatalogueFigures {
  procedures: number;
  requestsPerSec: number;
  latencyP50: number;
  latencyP99: number;
  total: number;
  non2xx: number;
  errors: number;
  rssAfterMb: number | null;
}

async function idleRss(server: ServerProcess): Promise<number | null> {
  await sleep(IDLE_SETTLE_MS);
  return rssMb(server.child.pid);
}

async function loadCatalogue(
  env: Record<string, string>,
  openDb: () => Promise<Db>,
  nodeArgs: string[] = [],
): Promise<CatalogueFigures | { skipped: string }> {
  const db = await openDb();
  let fixture: { cookie: string; procedures: number };
  try {
    fixture = await prepareCatalogue(db, PROCEDURES);
  } finally {
    await db.close();
  }
  const server = await startServer(env, { nodeArgs });
  try {
    const probe = await fetch(`${server.origin}/catalogue`, { headers: { cookie: fixture.cookie }, redirect: 'manual' });
    await probe.arrayBuffer();
    if (probe.status !== 200) return { skipped: `/catalogue répond ${probe.status} (page pas encore livrée ?)` };
    const result = await autocannon({ url: `${server.origin}/catalogue`, ...LOAD, headers: { cookie: fixture.cookie } });
    return {
      procedures: fixture.procedures,
      requestsPerSec: result.requests.average,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      rssAfterMb: rssMb(server.child.pid),
    };
  } finally {
    await server.stop();
  }
}

async function measureEngine(
  engine: EngineFigures['engine'],
  env: Record<string, string>,
  openDb: () => Promise<Db>,
  variantsToTry: typeof PGLITE_VARIANTS = [],
  catalogueRuns: { label: string; env?: Record<string, string> }[] = [{ label: 'réglages par défaut' }],
): Promise<EngineFigures> {
  console.log(`${engine} : premier démarrage…`);
  const first = await startServer(env);
  const firstIdleRssMb = await idleRss(first);
  await first.stop();
  const restartsMs: number[] = [];
  let idleRssMb: number | null = null;
  for (let i = 1; i <= RESTARTS; i++) {
    console.log(`${engine} : redémarrage ${i}/${RESTARTS}…`);
    const server = await startServer(env);
    restartsMs.push(server.firstPageMs);
    if (i === RESTARTS) idleRssMb = await idleRss(server);
    await server.stop();
  }
  const variants: EngineFigures['variants'] = [];
  for (const variant of variantsToTry) {
    console.log(`${engine} : mémoire au repos avec ${variant.label}…`);
    const server = await startServer({ ...env, ...variant.env }, { nodeArgs: variant.nodeArgs });
    variants.push({ label: variant.label, idleRssMb: await idleRss(server) });
    await server.stop();
  }
  const catalogue: EngineFigures['catalogue'] = [];
  for (const run of catalogueRuns) {
    console.log(`${engine} : catalogue de ${PROCEDURES} démarches sous charge (${run.label})…`);
    catalogue.push({ label: run.label, figures: await loadCatalogue({ ...env, ...run.env }, openDb) });
  }
  const sorted = [...restartsMs].sort((a, b) => a - b);
  return {
    engine,
    firstStartMs: first.firstPageMs,
    firstIdleRssMb,
    restartMs: sorted[Math.floor(sorted.length / 2)],
    restartsMs,
    idleRssMb,
    variants,
    catalogue,
  };
}

async function benchPglite(): Promise<EngineFigures> {
  const dataDir = path.join(TMP, `pglite-${randomBytes(4).toString('hex')}`);
  mkdirSync(dataDir, { recursive: true });
  try {
    return await measureEngine(
      'PGlite',
      { VIGIE_DATA_DIR: dataDir },
      () => openDatabase({ dataDir, pgliteOptimize: true }),
      PGLITE_VARIANTS,
      [{ label: 'réglages par défaut' }, { label: 'VIGIE_PGLITE_OPTIMIZE=true', env: { VIGIE_PGLITE_OPTIMIZE: 'true' } }],
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<EngineFigures | { skipped: string }> {
  const name = `vigie_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `serveur PostgreSQL injoignable (${ADMIN_URL}) : ${(error as Error).message}` };
  }
  const dataDir = path.join(TMP, `pg-${name}`);
  mkdirSync(dataDir, { recursive: true });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const databaseUrl = url.toString();
    return await measureEngine('PostgreSQL', { VIGIE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, () =>
      openPostgres(databaseUrl, { max: 1 }),
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function machine(loadAtStart: number[]): string {
  const cpus = os.cpus();
  return [
    `- date : ${new Date().toISOString()}`,
    `- processeur : ${cpus[0]?.model ?? 'inconnu'}, ${cpus.length} cœurs (machine partagée avec d’autres processus)`,
    `- mémoire : ${(os.totalmem() / 1024 ** 3).toFixed(1)} Go`,
    `- système : ${os.type()} ${os.release()}, Node.js ${process.version}`,
    `- charge moyenne (1, 5, 15 min) au lancement du banc : ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}`,
    ...(loadAtStart[0] > cpus.length
      ? [
          `\n**Attention : la machine était chargée (charge ${loadAtStart[0].toFixed(1)} pour ${cpus.length} cœurs) : les temps et débits ci-dessous sont pessimistes ; les mémoires restent comparables.**`,
        ]
      : []),
  ].join('\n');
}

const ms = (value: number) => `${(value / 1000).toFixed(2)} s`;
const mb = (value: number | null) => (value === null ? 'n/d' : `${value.toFixed(0)} Mo`);
const verdict = (ok: boolean) => (ok ? 'atteint' : '**dépassé**');

function report(
  results: (EngineFigures | { skipped: string })[],
  loadAtStart: number[],
  build: { buildMs: number; checkMs: number },
): string {
  const { buildMs, checkMs } = build;
  const rows: string[] = [];
  const load: string[] = [];
  const skipped: string[] = [];
  const variants: string[] = [];
  for (const r of results) {
    if ('skipped' in r) {
      skipped.push(`- PostgreSQL non mesuré : ${r.skipped}`);
      continue;
    }
    const restarts = r.restartsMs.map((v) => (v / 1000).toFixed(2)).join(' ; ');
    rows.push(
      `| ${r.engine} | ${ms(buildMs + r.firstStartMs)} (${verdict(buildMs + r.firstStartMs < TARGETS.firstStartMs)}) = ${ms(buildMs)} + ${ms(r.firstStartMs)} | ${ms(checkMs + r.restartMs)} (${verdict(checkMs + r.restartMs < TARGETS.restartMs)}) = ${ms(checkMs)} + ${ms(r.restartMs)} — ${restarts} | ${mb(r.idleRssMb)} (${verdict((r.idleRssMb ?? Infinity) < TARGETS.idleRssMb)}) ; après le premier démarrage : ${mb(r.firstIdleRssMb)} (${verdict((r.firstIdleRssMb ?? Infinity) < TARGETS.idleRssMb)}) |`,
    );
    for (const v of r.variants)
      variants.push(
        `| ${r.engine}, ${v.label} | ${mb(v.idleRssMb)} | ${r.idleRssMb === null || v.idleRssMb === null ? 'n/d' : `${(v.idleRssMb - r.idleRssMb).toFixed(0)} Mo`} |`,
      );
    for (const { label, figures: c } of r.catalogue) {
      if ('skipped' in c) load.push(`| ${r.engine}, ${label} | non mesuré : ${c.skipped} | | | | |`);
      else
        load.push(
          `| ${r.engine}, ${label} | ${c.procedures} | ${c.requestsPerSec.toFixed(0)} req/s | ${c.latencyP50} ms / ${c.latencyP99} ms | ${c.total} (${c.non2xx} non-2xx, ${c.errors} erreurs) | ${mb(c.rssAfterMb)} |`,
        );
    }
  }
  return `Machine :
${machine(loadAtStart)}

\`npm start\` = \`node scripts/build.js\` (compilation des sources dans \`dist/\` : ${ms(buildMs)} sur des sources nouvelles ;
vérification seule quand \`dist/\` est à jour : ${ms(checkMs)}) puis \`node bin/vigie.js serve\`, qui exécute ce JavaScript
compilé. Les temps ci-dessous sont donc : premier démarrage = compilation + serveur ; redémarrage = vérification + serveur.

Démarrage (jusqu’à la première page servie) et mémoire au repos (RSS ${IDLE_SETTLE_MS / 1000} s après
la première page, tâches de fond actives). Objectifs : premier démarrage < ${TARGETS.firstStartMs / 1000} s,
redémarrage < ${TARGETS.restartMs / 1000} s, RSS au repos < ${TARGETS.idleRssMb} Mo.

| base | premier démarrage (sources nouvelles, dossier vide, démo chargée) | redémarrage : médiane — ${RESTARTS} mesures du serveur (s) | RSS au repos (au dernier redémarrage ; après le premier démarrage) |
|---|---|---|---|
${rows.join('\n')}

Mémoire au repos de variantes (mêmes conditions, au redémarrage) :

| variante | RSS au repos | écart |
|---|---|---|
${variants.join('\n')}

Page \`/catalogue\` (administrateur connecté), autocannon ${LOAD.connections} connexions pendant ${LOAD.duration} s :

| base, réglages | démarches | débit moyen | latence p50 / p99 | requêtes | RSS après la charge |
|---|---|---|---|---|---|
${load.join('\n')}
${skipped.length ? '\n' + skipped.join('\n') + '\n' : ''}`;
}

const BLOCK_START = '<!-- bench:foundation:start -->';
const BLOCK_END = '<!-- bench:foundation:end -->';

function updateDoc(file: string, figures: string): void {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(BLOCK_START);
  const end = text.indexOf(BLOCK_END);
  if (start < 0 || end < start) return;
  writeFileSync(file, text.slice(0, start + BLOCK_START.length) + '\n' + figures + '\n' + text.slice(end));
}

export async function run(): Promise<void> {
  mkdirSync(TMP, { recursive: true });
  const loadAtStart = os.loadavg();
  const buildMs = buildDist(true);
  const checkMs = buildDist(false);
  const results: (EngineFigures | { skipped: string })[] = [await benchPglite(), await benchPostgres()];
  const figures = report(results, loadAtStart, { buildMs, checkMs });
  writeFileSync(
    path.join(ROOT, 'bench/results/foundation.md'),
    `# Banc d’essai « fondation » (dernière exécution)\n\nProduit par \`npm run bench\` (bench/foundation.ts), réécrit à chaque exécution.\n\n${figures}`,
  );
  updateDoc(path.join(ROOT, 'docs/performance.md'), figures);
  console.log(figures);
}
