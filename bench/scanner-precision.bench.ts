/**
 * Precision of the scanner's « non conforme » (issue 13) on a local corpus labelled by hand (bench/lib/rgaa-corpus.ts):
 * each page is served on loopback, scanned by the real scanner (Chromium + axe-core in its child process), and each
 * criterion it calls « non conforme » is checked against the hand label. Precision = right « non conforme » ÷ all
 * « non conforme »; recall (labelled « non conforme » that the scanner found) is given beside, for information.
 * Also times each scan (navigation, measurement, axe-core; Chromium restarted every 20 pages as in production) and
 * gives the browser scans per hour of one scanner process — loopback pages, so the network's time is not in it.
 * Writes bench/results/scanner-precision.md. Run: `npm run bench -- bench/scanner-precision.bench.ts`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS } from './lib/rgaa-corpus.ts';
import { BrowserScanner } from '../src/monitoring/scanner/scanner.ts';
import { toFindings } from '../src/monitoring/scanner/findings.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function run(): Promise<void> {
  const pages = new Map(CORPUS.map((p) => [`/${p.name}`, p.html]));
  const server = http.createServer((request, response) => {
    const html = pages.get(new URL(request.url ?? '/', 'http://corpus').pathname);
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html ?? 'introuvable');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scanner = new BrowserScanner({ pageTimeoutMs: 20_000, allowedRanges: '127.0.0.0/8' });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const rows: string[] = [];
  const durations: number[] = [];
  const started = performance.now();
  try {
    for (const p of CORPUS) {
      const before = performance.now();
      const outcome = await scanner.scan(`${base}/${p.name}`);
      durations.push(performance.now() - before);
      if (!outcome.ok) throw new Error(`${p.name}: ${outcome.error}`);
      const findings = toFindings(p.name, outcome.violations, outcome.incomplete);
      const said = [...new Set(findings.filter((f) => f.verdict === 'non-conforme').map((f) => f.criterion))].sort();
      const toCheck = [...new Set(findings.filter((f) => f.verdict === 'a-verifier').map((f) => f.criterion))].sort();
      const right = said.filter((c) => p.nc.includes(c));
      const wrong = said.filter((c) => !p.nc.includes(c));
      const missed = p.nc.filter((c) => !said.includes(c));
      tp += right.length;
      fp += wrong.length;
      fn += missed.length;
      const rules = [...new Set(findings.filter((f) => f.verdict === 'non-conforme').map((f) => f.ruleId))].join(', ');
      rows.push(
        `| ${p.name} | ${p.nc.join(', ') || '—'} | ${said.join(', ') || '—'}${rules ? ` (${rules})` : ''} | ${toCheck.join(', ') || '—'} | ${wrong.join(', ') || ''} | ${missed.join(', ') || ''} |`,
      );
      console.log(rows.at(-1));
    }
  } finally {
    await scanner.close();
    server.close();
  }
  const elapsed = performance.now() - started;
  const sorted = [...durations].sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const perHour = Math.round((3_600_000 * CORPUS.length) / elapsed);
  const precision = tp + fp ? tp / (tp + fp) : NaN;
  const recall = tp + fn ? tp / (tp + fn) : NaN;
  const lines = [
    `# Scanner precision on the hand-labelled corpus (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)})`,
    '',
    `${CORPUS.length} pages of bench/lib/rgaa-corpus.ts, labelled by hand against RGAA 4.1 (a local corpus, not an external reference).`,
    `Precision of « non conforme »: ${tp} right of ${tp + fp} = **${precision.toFixed(3)}**; recall ${tp} of ${tp + fn} labelled = ${recall.toFixed(3)}.`,
    `Scan time per page (first one includes Chromium's start): median ${quantile(0.5).toFixed(0)} ms, p95 ${quantile(0.95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms; ${CORPUS.length} pages in ${(elapsed / 1000).toFixed(1)} s = **${perHour} browser scans per hour** for one scanner process (loopback pages: a real site adds its network and load time).`,
    '',
    '| page | labelled NC | scanner NC (axe rules) | scanner « à vérifier » | wrong NC | missed NC |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
  console.log(lines.slice(0, 5).join('\n'));
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/scanner-precision.md'), lines.join('\n') + '\n');
}
