/**
 * « Je donne mon avis » benchmark on the local PostgreSQL server (one command: `node bin/bench.js bench/feedback.bench.ts`).
 * 1. Ingest: first-step submissions per second and p99 under autocannon, against a floor server that only inserts one
 *    row per request. 2. No loss: SIGKILL of the server during the load, then every submission answered 303 must be in
 *    the database. 3. Analytics: reviews and answers bulk-loaded over 2 years and 2 000 procedures; the procedure
 *    dashboard queries (365 days) and the indicators of all procedures for an edition window, from the rollups and,
 *    for the ratio, from the raw answers. Writes bench/results/feedback.md.
 * Knobs: FEEDBACK_BENCH_SECONDS (60, split into FEEDBACK_BENCH_ROUNDS = 4 rounds alternating with the floor and with as many
 * rounds of submissions from 5 000 client addresses), FEEDBACK_BENCH_SCALE (1 = 10 million answers), BENCH_POSTGRES_URL,
 * FEEDBACK_BENCH_PARTS (e.g. `1` or `1,2`: run only those parts; their sections of bench/results/feedback.md are replaced, the others kept),
 * FEEDBACK_BENCH_CPU_PROF=<folder>: the Vigie server runs under `node --cpu-prof`, its profile written there when it stops.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openPostgres } from '../src/kernel/db/postgres.ts';
import { migrate } from '../src/kernel/db/migrate.ts';
import type { Db } from '../src/kernel/db/db.ts';
import { insertButton, insertForm } from '../src/feedback/forms/queries.ts';
import { newNonce, signToken } from '../src/feedback/public/tokens.ts';
import { countsBy, previousWindow } from '../src/feedback/analytics/indicators.ts';
import { procedureSeries } from '../src/feedback/analytics/series.ts';
import { feedbackIndicatorSource } from '../src/feedback/analytics/observatoire-source.ts';
import { rebuildRollups } from '../src/feedback/demo/seed.ts';
import { freePort, startServer } from './lib/server-process.ts';
import { cpuMs, pgCpuDelta, pgCpuMs } from './lib/cpu.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP = path.join(ROOT, 'bench/results/tmp');
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.FEEDBACK_BENCH_SECONDS ?? 60);
const SCALE = Number(process.env.FEEDBACK_BENCH_SCALE ?? 1);
const CONNECTIONS = 20;
const ROUNDS = Number(process.env.FEEDBACK_BENCH_ROUNDS ?? 4);
const SECRET = 'bench-secret-' + randomBytes(8).toString('hex');
const PROCEDURES = 2000;
const PARTS = new Set((process.env.FEEDBACK_BENCH_PARTS ?? '1,2,3').split(',').map((p) => p.trim()));
const RESULTS_FILE = path.join(ROOT, 'bench/results/feedback.md');
const CPU_PROF_DIR = process.env.FEEDBACK_BENCH_CPU_PROF;

/** Write transactions started so far on the server (each takes a transaction id; this reading takes one too). */
async function writeTransactions(db: Db): Promise<number> {
  const { rows } = await db.query<{ xid: string }>('SELECT txid_current()::text AS xid');
  return Number(rows[0].xid);
}

/** Runs one load and adds to it the CPU per request of the server process and of the PostgreSQL backends. */
async function withCpu(db: Db, pid: number | undefined, load: () => Promise<any>): Promise<any> {
  const before = cpuMs(pid);
  const pgBefore = await pgCpuMs(db);
  const xidBefore = await writeTransactions(db);
  const clientBefore = process.cpuUsage();
  const result = await load();
  const client = process.cpuUsage(clientBefore);
  const xidAfter = await writeTransactions(db);
  const after = cpuMs(pid);
  const pgAfter = await pgCpuMs(db);
  return {
    ...result,
    nodeCpuMs: before === null || after === null ? 0 : after - before,
    pgCpuMs: pgCpuDelta(pgBefore, pgAfter) ?? 0,
    clientCpuMs: (client.user + client.system) / 1000,
    transactions: xidAfter - xidBefore - 1,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Several autocannon rounds as one: mean rate over the whole time, worst p99, summed errors. */
function combine(rounds: any[]) {
  const seconds = rounds.reduce((sum, r) => sum + r.duration, 0);
  const total = rounds.reduce((sum, r) => sum + r.requests.total, 0);
  const sum = (field: string) => rounds.reduce((n, r) => n + r[field], 0);
  return {
    requests: { average: total / seconds },
    latency: { p99: Math.max(...rounds.map((r) => r.latency.p99)) },
    '4xx': sum('4xx'),
    '5xx': sum('5xx'),
    errors: sum('errors'),
    nodeCpuPerRequest: sum('nodeCpuMs') / total,
    pgCpuPerRequest: sum('pgCpuMs') / total,
    clientCpuPerRequest: sum('clientCpuMs') / total,
    submissionsPerTransaction: total / sum('transactions'),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Distinct client addresses of the « many addresses » rounds (sent as X-Forwarded-For, the server trusting its proxy). */
const ADDRESSES = 5000;

/**
 * A load of first-step submissions, each with a fresh signed token; collects the nonces answered 303. With `addresses`,
 * the submissions come from that many client addresses in turn (each address has its own rate counters).
 */
function ingest(origin: string, key: string, buttonId: number, seconds: number, accepted?: string[], addresses = 0) {
  let sent = 0;
  return (autocannon as any)({
    url: origin,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: `/avis/b/${key}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req: any, context: any) => {
          const nonce = newNonce();
          context.nonce = nonce;
          const token = signToken(SECRET, { kind: 'start', buttonId, version: 1, value: nonce });
          const body = `debut=${encodeURIComponent(token)}&satisfaction=good&lang=fr`;
          if (!addresses) return { ...req, body };
          const a = sent++ % addresses;
          return { ...req, body, headers: { ...req.headers, 'x-forwarded-for': `10.${(a >> 16) & 255}.${(a >> 8) & 255}.${a & 255}` } };
        },
        onResponse: (status: number, _body: string, context: any) => {
          if (status === 303 && accepted) accepted.push(context.nonce);
        },
      },
    ],
  }) as Promise<any>;
}

/** The floor: a minimal Fastify server that inserts one row per request, nothing else. */
async function startFloor(databaseUrl: string) {
  const file = path.join(TMP, 'floor-server.mjs');
  writeFileSync(
    file,
    `import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import pg from 'pg';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query('CREATE TABLE IF NOT EXISTS floor_rows (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, value text, at timestamptz DEFAULT now())');
const app = Fastify();
await app.register(formbody);
app.post('/floor', async (request, reply) => {
  await pool.query('INSERT INTO floor_rows (value) VALUES ($1)', [request.body.satisfaction]);
  return reply.code(303).header('location', '/ok').send();
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');
`,
  );
  const port = await freePort();
  const child = spawn(process.execPath, [file], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d) => String(d).includes('ready') && resolve()));
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

/** Reviews and answers over 2 years for every procedure, bulk-loaded, then rolled up. */
async function loadAnalytics(db: Db, formIds: number[]): Promise<{ reviews: number; answers: number; loadMs: number }> {
  const reviews = Math.round(3_000_000 * SCALE);
  const start = performance.now();
  await db.exec(`SET statement_timeout = 0`);
  // In chunks so that one statement never holds too much in memory.
  const chunk = 250_000;
  for (let offset = 0; offset < reviews; offset += chunk) {
    const n = Math.min(chunk, reviews - offset);
    await db.query(
      `INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, created_at, verbatim)
       SELECT f.id, 1, b.id, f.procedure_id, 'bulk:' || g, d, d + interval '10 hours', CASE WHEN g % 9 = 0 THEN 'Commentaire ' || g END
         FROM generate_series($1::bigint, $2::bigint) g
         JOIN feedback_forms f ON f.id = ($3::bigint[])[1 + (g % $4)]
         JOIN feedback_buttons b ON b.form_id = f.id
         CROSS JOIN LATERAL (SELECT current_date - ((g * 7919) % 730)::int AS d) x`,
      [offset + 1, offset + n, formIds, formIds.length],
    );
  }
  // About 3.35 answers per review (10 million for 3 million reviews): satisfaction always, clarity 3 in 4, help 2 in 3
  // (half of them « none », the other half the phone and websites, then « reached? » for the phone and the quality
  // of the help when reached).
  await db.query(
    `INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
     SELECT day, id, 'satisfaction', '', (ARRAY['bad','medium','good','good'])[1 + id % 4] FROM feedback_reviews WHERE nonce LIKE 'bulk:%'`,
  );
  await db.query(
    `INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
     SELECT day, id, 'clarity', '', (ARRAY['very_bad','bad','medium','good','very_good'])[1 + id % 5] FROM feedback_reviews WHERE nonce LIKE 'bulk:%' AND id % 4 <> 0`,
  );
  await db.query(
    `INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
     SELECT day, id, 'help_tried', '', CASE WHEN id % 2 = 0 THEN 'none' ELSE 'phone' END FROM feedback_reviews WHERE nonce LIKE 'bulk:%' AND id % 3 <> 1`,
  );
  await db.query(
    `INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
     SELECT day, id, 'help_reached', 'phone', CASE WHEN id % 5 = 0 THEN 'no' ELSE 'yes' END FROM feedback_reviews WHERE nonce LIKE 'bulk:%' AND id % 3 <> 1 AND id % 2 = 1`,
  );
  await db.query(
    `INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
     SELECT day, id, 'help_tried', '', 'websites' FROM feedback_reviews WHERE nonce LIKE 'bulk:%' AND id % 3 <> 1 AND id % 2 = 1`,
  );
  await db.query(
    `INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
     SELECT day, id, 'help_quality', 'phone', (ARRAY['very_bad','bad','medium','good','excellent'])[1 + (id / 7) % 5]
       FROM feedback_reviews WHERE nonce LIKE 'bulk:%' AND id % 3 <> 1 AND id % 2 = 1 AND id % 5 <> 0`,
  );
  for (let i = 0; i < formIds.length; i += 200) await rebuildRollups(db, formIds.slice(i, i + 200));
  await db.exec('ANALYZE');
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM feedback_answers');
  return { reviews, answers: Number(rows[0].n), loadMs: performance.now() - start };
}

/** The same indicators computed straight from the raw answers (what rollups avoid). */
async function rawIndicators(db: Db, procedureIds: number[], window: { start: string; end: string }) {
  return db.query(
    `SELECT r.procedure_id, a.question, a.option_id, count(*) FROM feedback_answers a JOIN feedback_reviews r ON r.id = a.review_id AND r.day = a.day
      WHERE r.procedure_id = ANY($1::bigint[]) AND a.day BETWEEN $2::date AND $3::date AND r.deleted_at IS NULL GROUP BY 1, 2, 3`,
    [procedureIds, window.start, window.end],
  );
}

/** Sections « ## n. » of the new run replace those of the previous results; parts not run this time are kept. */
function mergeResults(previous: string, current: string): string {
  const split = (text: string) => {
    const [head, ...rest] = text.split(/^(?=## \d\. )/m);
    return { head, sections: new Map(rest.map((section) => [section.slice(3, section.indexOf('.')), section])) };
  };
  const old = split(previous);
  const now = split(current);
  const sections = new Map([...old.sections, ...now.sections]);
  const ordered = [...sections.keys()].sort().map((key) => sections.get(key)!.trimEnd() + '\n');
  return [now.head.trimEnd() + '\n', ...ordered].join('\n');
}

export async function run(): Promise<void> {
  mkdirSync(TMP, { recursive: true });
  const name = `bench_feedback_${randomBytes(4).toString('hex')}`;
  const admin = await openPostgres(ADMIN_URL, { max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = await openPostgres(databaseUrl, { max: 4 });
  const dataDir = path.join(TMP, name);
  const lines: string[] = [];
  const log = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    await migrate(db);
    await db.query(`INSERT INTO ministries (code, name) VALUES ('BF', 'Ministère d’essai')`);
    await db.query(`INSERT INTO administrations (ministry_id, code, name) SELECT id, 'BF-A', 'Administration d’essai' FROM ministries`);
    const { rows: procs } = await db.query<{ id: number }>(
      `INSERT INTO procedures (stable_id, slug, title, administration_id) SELECT 'BF-' || i, 'bf-' || i, 'Démarche d’essai ' || i, (SELECT id FROM administrations)
         FROM generate_series(1, $1::int) i RETURNING id`,
      [PROCEDURES],
    );
    const procedureIds = procs.map((p) => Number(p.id));
    const formIds: number[] = [];
    for (const id of procedureIds) formIds.push(await insertForm(db, { procedureId: id, template: 'default', name: 'Avis' }, null));
    for (const id of formIds) await insertButton(db, { formId: id, name: 'Fin', placement: '', isTest: false });
    const { rows: target } = await db.query('SELECT id, public_key FROM feedback_buttons WHERE form_id = $1', [formIds[0]]);
    const button = { id: Number(target[0].id), key: target[0].public_key as string };
    const env = {
      DATABASE_URL: databaseUrl,
      VIGIE_DATA_DIR: dataDir,
      VIGIE_DEMO: 'false',
      VIGIE_JOBS: 'false',
      SESSION_SECRET: SECRET,
      FEEDBACK_RATE_LIMIT: '100000000',
      TRUST_PROXY: 'true',
    };

    const measured = () =>
      `_Mesuré le ${new Date().toISOString()} : ${os.cpus().length} cœurs (${os.cpus()[0]?.model ?? '?'}), partagés ; PostgreSQL local ; charge moyenne ${os.loadavg()[0].toFixed(1)} au début de la partie._\n`;
    log(
      `# Benchmark « Je donne mon avis »\n\nChaque partie est réécrite par l’exécution qui la mesure (\`FEEDBACK_BENCH_PARTS\` choisit les parties).\n`,
    );
    if (PARTS.has('1')) {
      log(
        `## 1. Ingestion (première étape, ${CONNECTIONS} connexions, ${SECONDS} s en ${ROUNDS} tours alternés avec le plancher, puis autant depuis ${ADDRESSES.toLocaleString('fr-FR')} adresses)\n`,
      );
      log(measured());
      server = await startServer(env, { nodeArgs: CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF_DIR)}`] : [] });
      await ingest(server.origin, button.key, button.id, 3); // warm-up
      const floor = await startFloor(databaseUrl);
      const floorLoad = (seconds: number) =>
        (autocannon as any)({
          url: `${floor.origin}/floor`,
          method: 'POST',
          connections: CONNECTIONS,
          duration: seconds,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'satisfaction=good',
        });
      await floorLoad(3);
      // The machine is shared: Vigie and the floor take turns in short rounds, so that both see the same neighbours.
      const vigieRounds: any[] = [];
      const manyRounds: any[] = [];
      const floorRounds: any[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const origin = server.origin;
        vigieRounds.push(await withCpu(db, server.child.pid, () => ingest(origin, button.key, button.id, SECONDS / ROUNDS)));
        floorRounds.push(await withCpu(db, floor.pid, () => floorLoad(SECONDS / ROUNDS)));
        manyRounds.push(
          await withCpu(db, server.child.pid, () => ingest(origin, button.key, button.id, SECONDS / ROUNDS, undefined, ADDRESSES)),
        );
      }
      floor.stop();
      const vigie = combine(vigieRounds);
      const many = combine(manyRounds);
      const base = combine(floorRounds);
      const ratio = vigie.requests.average / base.requests.average;
      log(`| Mesure | Vigie | Plancher (1 INSERT par requête) | Cible |\n|---|---|---|---|`);
      log(
        `| Envois par seconde (moyenne) | ${vigie.requests.average.toFixed(0)} | ${base.requests.average.toFixed(0)} | 2 000/s et ≥ 50 % du plancher |`,
      );
      log(`| Latence p99 | ${vigie.latency.p99} ms | ${base.latency.p99} ms | < 100 ms |`);
      log(
        `| Réponses 4xx/5xx, erreurs réseau | ${vigie['4xx'] + vigie['5xx']}, ${vigie.errors} | ${base['4xx'] + base['5xx']}, ${base.errors} | 0 |`,
      );
      log(
        `| CPU par envoi : Node + PostgreSQL | ${vigie.nodeCpuPerRequest.toFixed(2)} + ${vigie.pgCpuPerRequest.toFixed(2)} ms | ${base.nodeCpuPerRequest.toFixed(2)} + ${base.pgCpuPerRequest.toFixed(2)} ms | |`,
      );
      log(
        `| CPU par envoi du client de charge (autocannon, même machine) | ${vigie.clientCpuPerRequest.toFixed(2)} ms | ${base.clientCpuPerRequest.toFixed(2)} ms | |`,
      );
      log(
        `| Envois par transaction d’écriture (taille moyenne des lots) | ${vigie.submissionsPerTransaction.toFixed(1)} | ${base.submissionsPerTransaction.toFixed(1)} | |`,
      );
      log(`\nRapport au plancher : ${(ratio * 100).toFixed(0)} %.\n`);
      log(
        `Envois venant de ${ADDRESSES.toLocaleString('fr-FR')} adresses (X-Forwarded-For ; un compteur de limite par adresse), tours intercalés : ${many.requests.average.toFixed(0)}/s, p99 ${many.latency.p99} ms, ${many['4xx'] + many['5xx']} réponses 4xx/5xx, CPU ${many.nodeCpuPerRequest.toFixed(2)} + ${many.pgCpuPerRequest.toFixed(2)} ms par envoi, soit ${((many.requests.average / base.requests.average) * 100).toFixed(0)} % du plancher.\n`,
      );
    }

    if (PARTS.has('2')) {
      log(`## 2. Aucune perte (SIGKILL pendant la charge)\n`);
      log(measured());
      server ??= await startServer(env);
      const accepted: string[] = [];
      const load = ingest(server.origin, button.key, button.id, 6, accepted);
      await sleep(3000);
      server.child.kill('SIGKILL');
      await load.catch(() => undefined);
      server = null;
      const { rows: found } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM feedback_reviews WHERE nonce = ANY($1::text[])',
        [accepted],
      );
      server = await startServer(env);
      const restarted = (await fetch(`${server.origin}/avis/b/${button.key}`)).status;
      log(
        `Envois confirmés (303) avant l’arrêt brutal : ${accepted.length} ; retrouvés en base : ${found[0].n} ; manquants : ${accepted.length - found[0].n}. Redémarrage : questionnaire en ${restarted}.\n`,
      );
    }
    if (server) await server.stop();
    server = null;

    if (PARTS.has('3')) {
      log(
        `## 3. Analyse (échelle ${SCALE} : ${Math.round(3_000_000 * SCALE).toLocaleString('fr-FR')} avis sur 2 ans, ${PROCEDURES} démarches)\n`,
      );
      log(measured());
      const loaded = await loadAnalytics(db, formIds);
      const { rows: rollupCount } = await db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM feedback_rollups');
      log(
        `Chargé : ${loaded.reviews.toLocaleString('fr-FR')} avis, ${loaded.answers.toLocaleString('fr-FR')} réponses, ${Number(rollupCount[0].n).toLocaleString('fr-FR')} lignes d’agrégats, en ${(loaded.loadMs / 1000).toFixed(0)} s.\n`,
      );
      const end = new Date().toISOString().slice(0, 10);
      const window = { start: new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10), end };
      const dashboard = async (id: number) => {
        await Promise.all([
          countsBy(db, 'procedure', [id], window),
          countsBy(db, 'procedure', [id], previousWindow(window)),
          procedureSeries(db, id, window, 'month'),
        ]);
      };
      const dashTimes: number[] = [];
      for (let i = 0; i < 200; i++) dashTimes.push(await timed(() => dashboard(procedureIds[(i * 37) % PROCEDURES])));
      const rawTimes: number[] = [];
      for (let i = 0; i < 20; i++) rawTimes.push(await timed(() => rawIndicators(db, [procedureIds[(i * 37) % PROCEDURES]], window)));
      const allRollups = await timed(() => feedbackIndicatorSource.valuesFor(db, procedureIds, window));
      const allRollups2 = await timed(() => feedbackIndicatorSource.valuesFor(db, procedureIds, window));
      const allRaw = await timed(() => rawIndicators(db, procedureIds, window));
      log(`| Mesure | Agrégats | Réponses brutes | Cible |\n|---|---|---|---|`);
      log(
        `| Tableau de bord d’une démarche sur 365 jours (3 requêtes), p99 | ${percentile(dashTimes, 99).toFixed(1)} ms (médiane ${percentile(dashTimes, 50).toFixed(1)} ms, 200 mesures) | ${percentile(rawTimes, 99).toFixed(1)} ms (1 requête, 20 mesures) | < 100 ms |`,
      );
      log(
        `| Indicateurs des ${PROCEDURES} démarches pour une fenêtre d’édition | ${Math.min(allRollups, allRollups2).toFixed(0)} ms | ${allRaw.toFixed(0)} ms | < 5 s |`,
      );
      log(
        `\nRapport brut / agrégats : tableau de bord × ${(percentile(rawTimes, 50) / percentile(dashTimes, 50)).toFixed(1)} (médianes), toutes les démarches × ${(allRaw / Math.min(allRollups, allRollups2)).toFixed(1)}.`,
      );
    }
  } finally {
    if (server) await server.stop().catch(() => undefined);
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (lines.length)
      writeFileSync(
        RESULTS_FILE,
        mergeResults(existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '', lines.join('\n') + '\n'),
      );
  }
}
