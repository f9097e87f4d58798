/**
 * Monitoring benchmark (issue 13). A fixture server in another process (loopback; 90 % up, 4 % slow 300 ms, 3 % 500,
 * 3 % flapping), N targets (MONITORING_BENCH_TARGETS, default 10 000) every 5 minutes, one probe worker in this process.
 * Measures: sustained probes/s over MONITORING_BENCH_SECONDS (default 60) and this process's CPU (Vigie's worker and
 * database, the fixture server excluded), scheduling drift p50/p99 (probe start − due time, first attempts), the
 * maximum rate (every probe due at once), the public status page of a target with 90 days of 5-minute probes (p99),
 * and the uptime of every procedure for an edition (the observatoire source). PostgreSQL when TEST_DATABASE_URL is
 * set, else PGlite. Writes bench/results/monitoring.md. Run: `npm run bench -- bench/monitoring.bench.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestApp } from '../test/helpers/app.ts';
import { ensureLocation } from '../src/monitoring/engine.ts';
import { ensureProbePartitions } from '../src/monitoring/storage.ts';
import { loadMonitoringSettings } from '../src/monitoring/settings.ts';
import { ProbeWorker } from '../src/monitoring/worker.ts';
import { monitoringIndicatorSource } from '../src/monitoring/observatoire-source.ts';
import { cpuMs } from './lib/cpu.ts';
import type { Db } from '../src/kernel/db/db.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1))];

/** The PostgreSQL backends of this process's pool (opened by concurrent queries), whose CPU /proc shows on this machine. */
async function poolBackends(db: Db): Promise<number[]> {
  // Connections kept for the whole run (an idle one closed and reopened would change its process).
  const pool = (db as Db & { pool?: { options: { idleTimeoutMillis?: number } } }).pool;
  if (pool) pool.options.idleTimeoutMillis = 0;
  const rows = await Promise.all(
    Array.from({ length: 5 }, () => db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.2)')),
  );
  return [...new Set(rows.map((r) => Number(r.rows[0].pid)))];
}
const backendsCpuMs = (pids: number[]) => pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);

async function startFixtureProcess(): Promise<{ url: string; stop(): void }> {
  const script = `const m = await import(${JSON.stringify(path.join(ROOT, 'src/monitoring/testing-server.ts'))}); const f = await m.startFixtureServer();
    setInterval(() => { f.state.down = !f.state.down; }, 60_000); console.log(f.url);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url, stop: () => child.kill() };
}

export async function run(): Promise<void> {
  const engine = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
  const n = Number(process.env.MONITORING_BENCH_TARGETS ?? 10_000);
  const seconds = Number(process.env.MONITORING_BENCH_SECONDS ?? 60);
  const procedures = Math.max(1, Math.round(n / 5));
  const fixture = await startFixtureProcess();
  const t = await createTestApp(engine);
  const lines = [
    `# Monitoring benchmark (${new Date().toISOString().slice(0, 10)}, ${engine}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)})`,
    '',
    `${n} targets every 5 min on ${procedures} procedures, fixture server in another process on loopback.`,
    '',
    '| measure | value |',
    '|---|---|',
  ];
  const row = (name: string, value: string) => {
    lines.push(`| ${name} | ${value} |`);
    console.log(lines.at(-1));
  };
  try {
    const db = t.db;
    await db.query(`INSERT INTO ministries (code, name) VALUES ('bench-min', 'Ministère du banc')`);
    await db.query(
      `INSERT INTO administrations (ministry_id, code, name) SELECT id, 'bench-adm', 'Administration du banc' FROM ministries WHERE code = 'bench-min'`,
    );
    await db.query(
      `INSERT INTO procedures (stable_id, slug, title, administration_id)
       SELECT 'bench-' || i, 'bench-' || i, 'Démarche ' || i, (SELECT id FROM administrations WHERE code = 'bench-adm') FROM generate_series(1, $1) i`,
      [procedures],
    );
    await db.query(
      `INSERT INTO monitoring_targets (procedure_id, kind, url, interval_seconds, monitored_since)
       SELECT p.id, 'start', $1 || CASE WHEN i % 100 < 90 THEN '/ok' WHEN i % 100 < 94 THEN '/slow?ms=300' WHEN i % 100 < 97 THEN '/500' ELSE '/flap' END || '?t=' || i,
              300, now() - interval '100 days'
         FROM generate_series(1, $2) i JOIN procedures p ON p.stable_id = 'bench-' || (1 + (i - 1) % $3)`,
      [fixture.url, n, procedures],
    );
    const settings = loadMonitoringSettings({ MONITORING_ALLOWED_RANGES: '127.0.0.0/8', MONITORING_TIMEOUT_MS: '5000' });
    await ensureProbePartitions(db);
    await ensureLocation(db, 'bench');
    const worker = new ProbeWorker(
      { db, mailer: t.deps.mailer, publicUrl: 'http://bench', settings },
      { location: 'bench', concurrency: 64, tickMs: 250 },
    );
    // Sustained: the schedule as it is (spread over 5 minutes).
    const backends = engine === 'postgres' ? await poolBackends(db) : [];
    const pg0 = backendsCpuMs(backends);
    const q0 = db.queryCount;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await worker.start();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await worker.stop();
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const queries = db.queryCount - q0;
    const done = worker.probesDone;
    row(
      `sustained: probes in ${seconds} s (expected ${Math.round((n / 300) * seconds)} due)`,
      `${done} (${(done / elapsed).toFixed(1)} probes/s)`,
    );
    row(
      engine === 'pglite'
        ? 'sustained: Vigie CPU (this process, its embedded database included; % of one core)'
        : 'sustained: Vigie CPU (this process; % of one core)',
      `${(((cpu.user + cpu.system) / 1e6 / elapsed) * 100).toFixed(1)} %`,
    );
    if (engine === 'postgres')
      row(
        `sustained: PostgreSQL CPU (the pool's ${backends.length} backends, % of one core)`,
        `${((backendsCpuMs(backends) - pg0) / 10 / elapsed).toFixed(1)} %`,
      );
    row(
      'statements per probe (claims, batches, heartbeats of the sustained run)',
      `${(queries / Math.max(1, done)).toFixed(2)} (${queries} statements, ${worker.batchesWritten} batches: ${(done / Math.max(1, worker.batchesWritten)).toFixed(1)} probes each)`,
    );
    const { rows: drift } = await db.query(`SELECT drift_ms FROM monitoring_probes WHERE location = 'bench' AND NOT retried`);
    const drifts = drift.map((r) => Number(r.drift_ms));
    row(
      'scheduling drift p50 / p99 (first attempts)',
      `${percentile(drifts, 50)?.toFixed(0)} ms / ${percentile(drifts, 99)?.toFixed(0)} ms`,
    );
    row('memory of this process (RSS)', `${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
    // Maximum: everything due now, drained for `seconds / 2`.
    await db.query(`UPDATE monitoring_schedule SET next_due = now() - interval '1 second'`);
    const max = new ProbeWorker(
      { db, mailer: t.deps.mailer, publicUrl: 'http://bench', settings },
      { location: 'bench', concurrency: 128, tickMs: 50 },
    );
    const m0 = performance.now();
    await max.start();
    // Until every target is done once (the rate is then that of the whole backlog), or `seconds / 2` at most.
    while (max.probesDone < n && performance.now() - m0 < (seconds / 2) * 1000) await new Promise((resolve) => setTimeout(resolve, 50));
    const maxElapsed = (performance.now() - m0) / 1000;
    const maxDone = max.probesDone;
    await max.stop();
    row(
      `maximum: every probe due at once (${maxDone} done in ${maxElapsed.toFixed(1)} s)`,
      `${(maxDone / maxElapsed).toFixed(1)} probes/s`,
    );
    // 90 days of 5-minute probes for one target, and incidents; the status page reads incidents only.
    const { rows: first } = await db.query(
      `SELECT t.id, p.stable_id FROM monitoring_targets t JOIN procedures p ON p.id = t.procedure_id ORDER BY t.id LIMIT 1`,
    );
    const started = performance.now();
    await db.query(`SELECT monitoring_ensure_month((now() - make_interval(months => k))::date) FROM generate_series(0, 3) k`);
    await db.query(
      `INSERT INTO monitoring_probes (target_id, location, probed_at, ok, status, total_ms)
       SELECT $1, 'bench', now() - make_interval(mins => 5 * i), i % 500 <> 0, 200, 50 FROM generate_series(1, 25920) i`,
      [first[0].id],
    );
    await db.query(
      `INSERT INTO monitoring_incidents (target_id, started_at, ended_at, cause)
       SELECT $1, now() - make_interval(hours => 21 * i), now() - make_interval(hours => 21 * i) + interval '17 minutes', '5xx' FROM generate_series(1, 100) i`,
      [first[0].id],
    );
    row('90 days of 5-minute probes (25 920) and 100 incidents written', `${((performance.now() - started) / 1000).toFixed(1)} s`);
    // Cold pages: 200 other procedures, each a target with 100 incidents over the 90 days, each page asked once (nothing
    // cached); then one page asked 200 times (cached for a minute).
    await db.query(
      `INSERT INTO monitoring_incidents (target_id, started_at, ended_at, cause)
       SELECT t.id, now() - make_interval(hours => 21 * i), now() - make_interval(hours => 21 * i) + interval '17 minutes', '5xx'
         FROM (SELECT DISTINCT ON (procedure_id) id, procedure_id FROM monitoring_targets WHERE id <> $1 ORDER BY procedure_id, id LIMIT 200) t, generate_series(1, 100) i`,
      [first[0].id],
    );
    const { rows: cold } = await db.query(
      `SELECT DISTINCT p.stable_id FROM monitoring_incidents i JOIN monitoring_targets t ON t.id = i.target_id JOIN procedures p ON p.id = t.procedure_id WHERE t.id <> $1`,
      [first[0].id],
    );
    const ask = async (stableId: string) => {
      const s = performance.now();
      const res = await t.app.inject(`/disponibilite/${stableId}`);
      if (res.statusCode !== 200) throw new Error(`status page ${res.statusCode}`);
      return performance.now() - s;
    };
    await ask(first[0].stable_id);
    const coldTimes: number[] = [];
    for (const r of cold) coldTimes.push(await ask(r.stable_id));
    row(
      `public status page, 90 days, not cached (${coldTimes.length} procedures, 100 incidents each) p50 / p99`,
      `${percentile(coldTimes, 50).toFixed(1)} ms / ${percentile(coldTimes, 99).toFixed(1)} ms`,
    );
    const page: number[] = [];
    for (let i = 0; i < 200; i++) page.push(await ask(first[0].stable_id));
    row(
      'public status page, 90 days, one procedure asked 200 times (cached) p50 / p99',
      `${percentile(page, 50).toFixed(1)} ms / ${percentile(page, 99).toFixed(1)} ms`,
    );
    // The uptime of every procedure for an edition (3 months), as the observatoire asks for it.
    const { rows: ids } = await db.query(`SELECT id FROM procedures WHERE stable_id LIKE 'bench-%'`);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      await monitoringIndicatorSource.valuesFor(
        db,
        ids.map((r) => Number(r.id)),
        { start: '2026-01-01', end: new Date().toISOString().slice(0, 10) },
      );
      runs.push(performance.now() - s);
    }
    row(
      `uptime of every procedure (${ids.length}, ${n} targets) for an edition, p50 / max of 5`,
      `${percentile(runs, 50).toFixed(0)} ms / ${Math.max(...runs).toFixed(0)} ms`,
    );
  } finally {
    await t.close();
    fixture.stop();
  }
  lines.push(
    '',
    `Load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min).`,
  );
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, `bench/results/monitoring${engine === 'postgres' ? '-postgres' : ''}.md`), lines.join('\n') + '\n');
}
