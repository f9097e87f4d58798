/**
 * Observatoire benchmark on the local PostgreSQL: 2 000 procedures × 20 editions × 12 indicators.
 * Measures the public table page and the API list call (50 rows, a filter and a sort) under autocannon, publishing one
 * edition of 2 000 procedures, and the full CSV export of one edition. Loopback only; every wait is bounded.
 * Writes bench/results/observatoire.md and the figures block of docs/observatoire.md.
 * BENCH_OBS_ONLY=api-sans-cache measures only the uncached API call and prints it (no file written);
 * BENCH_OBS_CPU_PROF=<folder> starts the server under `node --cpu-prof`, its profile written there when it stops.
 * BENCH_OBS_ONLY=page-cache measures only the cached public page (req/s, p99) and the first visit's weight in Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium) and prints them (no file written).
 */
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { openPostgres } from '../src/kernel/db/postgres.ts';
import { migrate } from '../src/kernel/db/migrate.ts';
import type { Db } from '../src/kernel/db/db.ts';
import { recordFirstVisit } from '../test/browser/first-visit.ts';
import { createDraft } from '../src/observatoire/editions/drafts.ts';
import { publishEdition } from '../src/observatoire/editions/publish.ts';
import { rerenderEdition } from '../src/observatoire/api/stored-rows.ts';
import { loadIndicators } from '../src/observatoire/rules/repository.ts';
import { demoValues, illustrativeFeedbackValues } from '../src/observatoire/demo/values.ts';
import { startServer } from './lib/server-process.ts';
import { cpuMs, pgCpuDelta, pgCpuMs } from './lib/cpu.ts';
import { launchChromium } from '../test/browser/browser.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP = path.join(ROOT, 'bench/results/tmp');
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PROCEDURES = 2000;
const EDITIONS = 20;
/** Editions published through the real publication code (timed); the others are bulk-loaded. */
const TIMED_PUBLISHES = 3;
const LOAD = { connections: 10, duration: 10 };
const ONLY_UNCACHED_API = process.env.BENCH_OBS_ONLY === 'api-sans-cache';
const ONLY_PAGE_CACHE = process.env.BENCH_OBS_ONLY === 'page-cache';
/** What a browser announces: the cached page is sent compressed once (brotli) instead of compressed per request. */
const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br' };
const CPU_PROF_DIR = process.env.BENCH_OBS_CPU_PROF;
const TARGETS = { apiP99Ms: 50, apiRps: 500, publishMs: 5000, csvMs: 2000, pageP99Ms: 50, pageRps: 1000, firstVisitBytes: 150 * 1024 };

export async function loadFixture(db: Db): Promise<{ ministryId: number }> {
  await db.transaction(async (tx) => {
    await tx.query(`INSERT INTO ministries (code, name) SELECT 'BM' || m, 'Ministère d’essai n° ' || m FROM generate_series(1, 10) m`);
    await tx.query(
      `INSERT INTO administrations (ministry_id, code, name)
       SELECT m.id, 'BA' || m.id || '-' || a, 'Administration d’essai ' || m.id || '-' || a FROM ministries m, generate_series(1, 5) a`,
    );
    await tx.query(
      `INSERT INTO procedures (stable_id, slug, title, administration_id, url, user_categories, online_status, franceconnect, in_scope, volume_total)
       SELECT 'B-' || i, 'essai-' || i, 'Démarche d’essai n° ' || i || CASE WHEN i % 7 = 0 THEN ' (impôts)' ELSE '' END,
              (SELECT id FROM administrations ORDER BY id OFFSET (i % 50) LIMIT 1), 'https://exemple.gouv.fr/' || i,
              ARRAY[(ARRAY['particuliers', 'professionnels', 'associations', 'collectivites'])[1 + i % 4]],
              (ARRAY['oui', 'oui', 'oui', 'partiel', 'non', 'en_cours', 'proactive'])[1 + i % 7],
              (ARRAY['franceconnect', 'franceconnect_plus', 'non', 'non_applicable'])[1 + i % 4], true, 300000 + i
         FROM generate_series(1, $1::int) i`,
      [PROCEDURES],
    );
    // Past editions, bulk-loaded (their content only needs to be realistic in size and shape).
    const bulk = EDITIONS - TIMED_PUBLISHES;
    await tx.query(
      `INSERT INTO obs_editions (name, period, window_start, window_end, status, rule_version, published_at)
       SELECT 'Édition d’essai ' || e, 'Période ' || e, date '2024-01-01' + 30 * e, date '2024-01-01' + 30 * e + 364, 'published', 1,
              timestamptz '2024-01-01' + e * interval '30 days'
         FROM generate_series(1, $1::int) e`,
      [bulk],
    );
    // One edition at a time, as publication writes them: each edition's rows sit together on disk.
    const { rows: editions } = await tx.query('SELECT id FROM obs_editions ORDER BY id');
    for (const e of editions) {
      await tx.query(
        `INSERT INTO obs_edition_procedures (edition_id, procedure_id, stable_id, slug, title, url, ministry_id, ministry_name,
                administration_id, administration_name, user_categories, online_status, search)
         SELECT $1, p.id, p.stable_id, p.slug, p.title, p.url, m.id, m.name, a.id, a.name, p.user_categories, p.online_status, search_text(p.title)
           FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id ORDER BY p.title`,
        [e.id],
      );
      await tx.query(
        `INSERT INTO obs_edition_values (edition_id, procedure_id, indicator, raw_value, sort_value, label, colour, goal, rule_version)
         SELECT ep.edition_id, ep.procedure_id, i.slug, round((r * 10)::numeric, 1)::text, round((r * 10)::numeric, 1),
                CASE WHEN r > 0.8 THEN 'Très bien' WHEN r > 0.5 THEN 'Moyen' WHEN r > 0.1 THEN 'Pas bien' ELSE 'À venir' END,
                CASE WHEN r > 0.8 THEN 'green' WHEN r > 0.5 THEN 'yellow' WHEN r > 0.1 THEN 'red' ELSE 'gray' END,
                CASE WHEN r > 0.8 THEN true WHEN r > 0.1 THEN false END, 1
           FROM obs_edition_procedures ep CROSS JOIN obs_indicators i CROSS JOIN LATERAL (SELECT random() + 0 * ep.procedure_id AS r) x
          WHERE ep.edition_id = $1 ORDER BY ep.procedure_id, i.slug`,
        [e.id],
      );
    }
  });
  // Their API list rows, as publication renders them (api/stored-rows.ts).
  const defs = await loadIndicators(db);
  const { rows: published } = await db.query(`SELECT id FROM obs_editions WHERE status = 'published' ORDER BY id`);
  for (const e of published) await rerenderEdition(db, Number(e.id), defs);
  // Live values of every procedure, for the timed publications.
  const { rows } = await db.query('SELECT id, stable_id, online_status FROM procedures');
  const ids: number[] = [];
  const indicators: string[] = [];
  const values: string[] = [];
  for (const r of rows) {
    for (const [indicator, value] of Object.entries({
      ...demoValues(r.stable_id, 1, r.online_status),
      ...illustrativeFeedbackValues(r.stable_id, 1),
    })) {
      ids.push(Number(r.id));
      indicators.push(indicator);
      values.push(value);
    }
  }
  await db.query(
    `INSERT INTO obs_live_values (procedure_id, indicator, value) SELECT unnest($1::bigint[]), unnest($2::text[]), unnest($3::text[])`,
    [ids, indicators, values],
  );
  await db.query('ANALYZE');
  const { rows: m } = await db.query(`SELECT id FROM ministries ORDER BY id LIMIT 1`);
  return { ministryId: Number(m[0].id) };
}

interface LoadFigures {
  url: string;
  /** Server CPU per request: what the figures would be bounded by on an idle machine. */
  cpuPerRequestMs: number | null;
  /** CPU of the PostgreSQL backends per request (same machine, same cores): the other half of the cost. */
  pgCpuPerRequestMs: number | null;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** `unique`: every request gets its own URL (an ignored parameter), so that no answer comes from the memory cache. */
async function load(
  origin: string,
  url: string,
  pid: number | undefined,
  db: Db,
  unique = false,
  headers: Record<string, string> = {},
): Promise<LoadFigures> {
  const warm = await fetch(origin + url, { headers });
  await warm.arrayBuffer();
  if (warm.status !== 200) throw new Error(`${url} answered ${warm.status}`);
  const before = cpuMs(pid);
  const pgBefore = await pgCpuMs(db);
  let n = 0;
  const options: Record<string, unknown> = { url: origin + url, headers, ...LOAD };
  if (unique) options.requests = [{ setupRequest: (req: { path: string }) => ({ ...req, path: `${url}&sans_cache=${++n}` }) }];
  const r = await autocannon(options as any);
  const after = cpuMs(pid);
  const pgAfter = await pgCpuMs(db);
  const cpuPerRequestMs = before === null || after === null || r.requests.total === 0 ? null : (after - before) / r.requests.total;
  const pgDelta = pgCpuDelta(pgBefore, pgAfter);
  const pgCpuPerRequestMs = pgDelta === null || r.requests.total === 0 ? null : pgDelta / r.requests.total;
  return {
    url,
    cpuPerRequestMs,
    pgCpuPerRequestMs,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/**
 * Bytes a fresh Chromium transfers for a first visit of `url` (HTML, styles, scripts, fonts and images it requests,
 * compressed as sent), as the browser test observatoire/browser/first-visit-weight.test.ts measures them.
 */
async function firstVisit(origin: string, url: string): Promise<{ bytes: number; detail: string } | null> {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  try {
    browser = await launchChromium();
  } catch (error) {
    console.log(`observatoire : Chromium indisponible (${String(error).split('\n')[0]}), premier affichage non mesuré`);
    return null;
  }
  try {
    const context = await browser.newContext({ baseURL: origin, viewport: { width: 1280, height: 900 } });
    const { transfers } = await recordFirstVisit(context, url);
    return {
      bytes: transfers.reduce((sum, t) => sum + t.bytes, 0),
      detail: transfers.map((t) => `${t.url.replace(origin, '')} ${(t.bytes / 1024).toFixed(1)} Ko`).join(' ; '),
    };
  } finally {
    await browser.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<void> {
  mkdirSync(TMP, { recursive: true });
  const loadAtStart = os.loadavg();
  const name = `vigie_bench_obs_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dataDir = path.join(TMP, name);
  mkdirSync(dataDir, { recursive: true });
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  const db = await openPostgres(databaseUrl, { max: 4 });
  try {
    await migrate(db);
    console.log(`observatoire : chargement de ${PROCEDURES} démarches × ${EDITIONS - TIMED_PUBLISHES} éditions…`);
    const loadStarted = performance.now();
    const { ministryId } = await loadFixture(db);
    const loadMs = performance.now() - loadStarted;

    const publishMs: number[] = [];
    let lastEdition = 0;
    for (let i = 0; i < TIMED_PUBLISHES; i++) {
      const id = await createDraft(
        db,
        { name: `Édition publiée ${i + 1}`, period: 'Banc', windowStart: '2025-01-01', windowEnd: '2025-12-31' },
        null,
      );
      const started = performance.now();
      const { procedures } = await publishEdition(db, id, null);
      publishMs.push(performance.now() - started);
      if (procedures !== PROCEDURES) throw new Error(`published ${procedures} procedures`);
      lastEdition = id;
    }
    const { rows: counts } = await db.query(
      `SELECT (SELECT count(*) FROM obs_editions WHERE status = 'published') AS editions, (SELECT count(*) FROM obs_edition_values) AS cells`,
    );
    console.log(
      `observatoire : ${counts[0].editions} éditions, ${counts[0].cells} cellules ; publication médiane ${median(publishMs).toFixed(0)} ms`,
    );

    const nodeArgs = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF_DIR)}`] : [];
    server = await startServer(
      { DATABASE_URL: databaseUrl, VIGIE_DATA_DIR: dataDir, VIGIE_DEMO: 'false', VIGIE_JOBS: 'false' },
      { nodeArgs },
    );
    const query = `ministere=${ministryId}&tri=satisfaction&ordre=desc&par_page=50`;
    console.log('observatoire : appel de liste de l’API sous charge…');
    const apiUncached = await load(server.origin, `/api/v1/editions/latest/procedures?${query}`, server.child.pid, db, true);
    if (ONLY_UNCACHED_API) {
      const cpu = `${apiUncached.cpuPerRequestMs?.toFixed(2) ?? 'n/d'} ms, CPU PostgreSQL : ${apiUncached.pgCpuPerRequestMs?.toFixed(2) ?? 'n/d'} ms`;
      console.log(
        `API sans cache : ${apiUncached.rps.toFixed(0)} req/s, p50 ${apiUncached.p50} ms, p99 ${apiUncached.p99} ms (${apiUncached.total} requêtes, ${apiUncached.non2xx} non-2xx, ${apiUncached.errors} erreurs) ; CPU du serveur Node : ${cpu} par requête ; charge moyenne au lancement : ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}`,
      );
      return;
    }
    console.log('observatoire : page publique en cache sous charge, premier affichage…');
    const pageCached = await load(server.origin, `/observatoire?${query}`, server.child.pid, db, false, BROWSER_HEADERS);
    const visit = await firstVisit(server.origin, '/observatoire');
    const pageLine = `page \`/observatoire?${query}\` en cache : ${pageCached.rps.toFixed(0)} req/s, p50 ${pageCached.p50} ms, p99 ${pageCached.p99} ms (${pageCached.total} requêtes, ${pageCached.non2xx} non-2xx, ${pageCached.errors} erreurs) ; CPU du serveur Node : ${pageCached.cpuPerRequestMs?.toFixed(2) ?? 'n/d'} ms par requête ; premier affichage de /observatoire : ${visit ? `${(visit.bytes / 1024).toFixed(1)} Ko transférés (${visit.detail})` : 'non mesuré'} ; charge moyenne au lancement : ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}, à la fin : ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`;
    if (ONLY_PAGE_CACHE) {
      console.log(pageLine);
      return;
    }
    const api = await load(server.origin, `/api/v1/editions/latest/procedures?${query}`, server.child.pid, db);
    console.log('observatoire : page du tableau public sous charge…');
    const page = await load(server.origin, `/observatoire?${query}`, server.child.pid, db);

    const csvMs: number[] = [];
    let csvRows = 0;
    let csvBytes = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const res = await fetch(`${server.origin}/observatoire/editions/${lastEdition}/export.csv`);
      const text = await res.text();
      csvMs.push(performance.now() - started);
      csvRows = text.trimEnd().split('\n').length - 1;
      csvBytes = Buffer.byteLength(text);
    }

    const cpu = (f: LoadFigures) =>
      `${f.cpuPerRequestMs === null ? 'n/d' : `${f.cpuPerRequestMs.toFixed(1)} ms`} (PostgreSQL : ${f.pgCpuPerRequestMs === null ? 'n/d' : `${f.pgCpuPerRequestMs.toFixed(1)} ms`})`;
    const verdict = (ok: boolean) => (ok ? 'atteint' : '**dépassé**');
    const cpus = os.cpus();
    const figures = `Machine et conditions :
- date : ${new Date().toISOString()}
- processeur : ${cpus[0]?.model ?? 'inconnu'}, ${cpus.length} cœurs (machine partagée avec d’autres processus)
- mémoire : ${(os.totalmem() / 1024 ** 3).toFixed(1)} Go ; système : ${os.type()} ${os.release()}, Node.js ${process.version}
- charge moyenne (1, 5, 15 min) au lancement : ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}
- base : PostgreSQL local (${databaseUrl.replace(/\/\/[^@]*@/, '//')}), ${counts[0].editions} éditions publiées, ${Number(counts[0].cells).toLocaleString('fr-FR')} cellules (démarche × indicateur × édition), chargement ${(loadMs / 1000).toFixed(1)} s
- charge moyenne à la fin : ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ', ',
      )} ; sur une machine partagée et chargée (plus d’un processus actif par cœur), débits et latences ne sont pas une mesure valable : à refaire sur une machine calme
- serveur : \`node bin/vigie.js serve\`, VIGIE_JOBS=false, autocannon ${LOAD.connections} connexions pendant ${LOAD.duration} s, sans cache HTTP (pas d’If-None-Match)

| mesure | résultat | objectif |
|---|---|---|
| API \`GET /api/v1/editions/latest/procedures\` (50 lignes, filtre ministère, tri satisfaction), même adresse répétée (cache mémoire) | ${api.rps.toFixed(0)} req/s, p50 ${api.p50} ms, p99 ${api.p99} ms (${api.total} requêtes, ${api.non2xx} non-2xx, ${api.errors} erreurs) ; CPU du serveur Node : ${cpu(api)} par requête | p99 < ${TARGETS.apiP99Ms} ms (${verdict(api.p99 < TARGETS.apiP99Ms)}), > ${TARGETS.apiRps} req/s (${verdict(api.rps > TARGETS.apiRps)}) |
| Même appel, chaque requête avec une adresse différente (aucune réponse du cache mémoire) | ${apiUncached.rps.toFixed(0)} req/s, p50 ${apiUncached.p50} ms, p99 ${apiUncached.p99} ms (${apiUncached.total} requêtes, ${apiUncached.non2xx} non-2xx, ${apiUncached.errors} erreurs) ; CPU du serveur Node : ${cpu(apiUncached)} par requête | p99 < ${TARGETS.apiP99Ms} ms (${verdict(apiUncached.p99 < TARGETS.apiP99Ms)}), > ${TARGETS.apiRps} req/s (${verdict(apiUncached.rps > TARGETS.apiRps)}) |
| Page \`/observatoire\` (mêmes filtre et tri, 50 lignes), visiteur anonyme, \`Accept-Encoding: br\` comme un navigateur : cache de pages (rendue une fois, compressée une fois) | ${pageCached.rps.toFixed(0)} req/s, p50 ${pageCached.p50} ms, p99 ${pageCached.p99} ms (${pageCached.total} requêtes, ${pageCached.non2xx} non-2xx, ${pageCached.errors} erreurs) ; CPU du serveur Node : ${cpu(pageCached)} par requête | > ${TARGETS.pageRps} req/s (${verdict(pageCached.rps >= TARGETS.pageRps)}), p99 < ${TARGETS.pageP99Ms} ms (${verdict(pageCached.p99 < TARGETS.pageP99Ms)}) |
| Premier affichage de \`/observatoire\` dans Chromium (HTML, styles, scripts, polices, images, compressés comme envoyés) | ${visit ? `${(visit.bytes / 1024).toFixed(1)} Ko (${visit.detail})` : 'non mesuré (Chromium indisponible)'} | < ${TARGETS.firstVisitBytes / 1024} Ko (${visit ? verdict(visit.bytes < TARGETS.firstVisitBytes) : 'n/d'}) |
| Page \`/observatoire\` (mêmes filtre et tri, 50 lignes), sans \`Accept-Encoding\` | ${page.rps.toFixed(0)} req/s, p50 ${page.p50} ms, p99 ${page.p99} ms (${page.total} requêtes, ${page.non2xx} non-2xx, ${page.errors} erreurs) ; CPU du serveur Node : ${cpu(page)} par requête | — |
| Publication d’une édition de ${PROCEDURES} démarches (${TIMED_PUBLISHES} mesures) | médiane ${(median(publishMs) / 1000).toFixed(2)} s (${publishMs.map((v) => (v / 1000).toFixed(2)).join(' ; ')}) | < ${TARGETS.publishMs / 1000} s (${verdict(median(publishMs) < TARGETS.publishMs)}) |
| Export CSV complet d’une édition (${csvRows} lignes, ${(csvBytes / 1024 / 1024).toFixed(1)} Mo, 3 mesures) | médiane ${(median(csvMs) / 1000).toFixed(2)} s (${csvMs.map((v) => (v / 1000).toFixed(2)).join(' ; ')}) | < ${TARGETS.csvMs / 1000} s (${verdict(median(csvMs) < TARGETS.csvMs)}) |
`;
    writeFileSync(
      path.join(ROOT, 'bench/results/observatoire.md'),
      `# Banc d’essai « observatoire » (dernière exécution)\n\nProduit par \`npm run bench -- bench/observatoire.bench.ts\`, réécrit à chaque exécution.\n\n${figures}`,
    );
    const doc = path.join(ROOT, 'docs/observatoire.md');
    try {
      const text = readFileSync(doc, 'utf8');
      const start = text.indexOf('<!-- bench:observatoire:start -->');
      const end = text.indexOf('<!-- bench:observatoire:end -->');
      if (start >= 0 && end > start)
        writeFileSync(doc, text.slice(0, start + '<!-- bench:observatoire:start -->'.length) + '\n' + figures + text.slice(end));
    } catch {
      // the documentation is optional for the benchmark
    }
    console.log(figures);
  } finally {
    await server?.stop();
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
