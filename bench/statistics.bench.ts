/**
 * Statistics benchmark (issue 15): `npm run bench -- bench/statistics.bench.ts` (PGlite, in process).
 * 1. Intervals and change flags of an edition comparison of 2 000 procedures × 12 indicators, from their moments:
 *    48 000 intervals, « incertain » against the thresholds, 24 000 tests and one Benjamini–Hochberg pass (budget < 1 s).
 * 2. A défi's effect page (`/defis/immatriculation-vehicules`) on the demo data: p50 and p99 of 300 requests
 *    (budget p99 < 100 ms). Writes bench/results/statistics.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimateOf, flagChanges, momentsDifference, straddles, type Moments } from '../src/kernel/stats/index.ts';
import { createTestApp } from '../test/helpers/app.ts';
import { seedDemo } from '../src/demo/seed.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function comparisonBench(): { medianMs: number; maxMs: number; tests: number } {
  const rand = lcg(42);
  const cells: { kind: 'share' | 'mean'; before: Moments; after: Moments }[] = [];
  for (let p = 0; p < 2000; p++) {
    for (let i = 0; i < 12; i++) {
      const kind = i % 2 === 0 ? 'mean' : 'share';
      const moments = (): Moments => {
        const n = 20 + Math.floor(rand() * 2000);
        if (kind === 'share') {
          const k = Math.floor(rand() * n);
          return { n, sum: k, sumSquares: k };
        }
        const good = Math.floor(rand() * n);
        const bad = Math.floor(rand() * (n - good));
        return { n, sum: 10 * good + 5 * (n - good - bad), sumSquares: 100 * good + 25 * (n - good - bad) };
      };
      cells.push({ kind, before: moments(), after: moments() });
    }
  }
  const times: number[] = [];
  let tests = 0;
  for (let run = 0; run < 7; run++) {
    const start = performance.now();
    let uncertain = 0;
    const differences = cells.map((c) => {
      const scale = c.kind === 'share' ? 100 : 1;
      const b = estimateOf(c.kind, c.before, scale)!;
      const a = estimateOf(c.kind, c.after, scale)!;
      if (straddles(b, c.kind === 'share' ? [70, 85] : [5, 8])) uncertain++;
      if (straddles(a, c.kind === 'share' ? [70, 85] : [5, 8])) uncertain++;
      return momentsDifference(c.kind, c.before, c.after, scale);
    });
    const flags = flagChanges(differences);
    tests = flags.filter(Boolean).length;
    times.push(performance.now() - start);
    if (uncertain < 0) throw new Error('unreachable');
  }
  times.sort((x, y) => x - y);
  return { medianMs: times[3]!, maxMs: times[6]!, tests };
}

async function effectPageBench(): Promise<{ p50: number; p99: number; requests: number; seedSeconds: number }> {
  const t = await createTestApp('pglite');
  try {
    const seedStart = performance.now();
    await seedDemo(t.deps);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    for (let i = 0; i < 20; i++) await t.app.inject('/defis/immatriculation-vehicules');
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const start = performance.now();
      const res = await t.app.inject('/defis/immatriculation-vehicules');
      times.push(performance.now() - start);
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    }
    times.sort((x, y) => x - y);
    return { p50: times[149]!, p99: times[296]!, requests: times.length, seedSeconds };
  } finally {
    await t.close();
  }
}

export async function run(): Promise<void> {
  const comparison = comparisonBench();
  console.log('comparison', comparison);
  const page = await effectPageBench();
  console.log('effect page', page);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(
    path.join(ROOT, 'bench/results/statistics.md'),
    `# Statistics benchmark (issue 15)

  Machine: ${os.cpus().length} cores, load ${load} (1/5/15 min) at the end; Node ${process.version}; PGlite in process.

  | measure | budget | result |
  |---|---|---|
  | edition comparison, 2 000 procedures × 12 indicators: 48 000 intervals + « incertain », ${comparison.tests} tests, one Benjamini–Hochberg pass (median of 7 runs, slowest) | < 1 s | ${comparison.medianMs.toFixed(0)} ms (${comparison.maxMs.toFixed(0)} ms) |
  | défi effect page \`/defis/immatriculation-vehicules\` on the demo data, ${page.requests} sequential requests (app.inject) | p99 < 100 ms | p50 ${page.p50.toFixed(1)} ms, p99 ${page.p99.toFixed(1)} ms |

  The demo seed took ${page.seedSeconds.toFixed(0)} s. Rerun: \`npm run bench -- bench/statistics.bench.ts\`.
  `,
  );
}
