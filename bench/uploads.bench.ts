/**
 * Uploads benchmark (issue 10): how long the reader takes on real-sized files and on the hostile ones, and how
 * /healthz answers while each hostile file is uploaded to the observatoire's value import (read in a worker thread).
 * Loopback only. Writes bench/results/uploads.md. Run: `npm run bench -- bench/uploads.bench.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTable } from '../src/kernel/spreadsheet/read-file.ts';
import { toCsv, toOds, toXlsx, type Sheet } from '../src/kernel/spreadsheet/fixtures.ts';
import { csvDelimiterFlood, odsRepeatedCells, xlsxFarRightColumn, xlsxInflationBomb } from '../src/kernel/spreadsheet/testing-hostile.ts';
import { createTestApp } from '../test/helpers/app.ts';
import { clientWithGrants } from '../test/helpers/users.ts';
import { createTestCatalog } from '../src/catalog/testing.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;

function timeRead(bytes: Uint8Array, name: string): { ms: number; outcome: string } {
  const started = performance.now();
  let outcome: string;
  try {
    outcome = `${readTable(bytes, name).table.rows.length} lignes`;
  } catch (error) {
    outcome = (error as Error).message.replace(/\u202f/g, ' ').slice(0, 70) + '…';
  }
  return { ms: performance.now() - started, outcome };
}

function multipart(fields: Record<string, string>, fileName: string, content: Buffer) {
  const boundary = '----vigie' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function run(): Promise<void> {
  const lines: string[] = [
    `# Uploads (issue 10)`,
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    '',
  ];

  // 1. The reader in the calling thread.
  const sheet: Sheet = [['Identifiant', 'Intitulé', 'Administration', 'Publics', 'Volume annuel total', 'Description']];
  for (let i = 0; i < 10_000; i++)
    sheet.push([`demarche-${i}`, `Démarche numéro ${i}`, 'ants', 'particuliers', 1000 + i, 'Texte de description '.repeat(5)]);
  const files: [string, string, Buffer][] = [
    ['10 000 lignes × 6 colonnes', 'a.csv', toCsv(sheet)],
    ['10 000 lignes × 6 colonnes', 'a.xlsx', await toXlsx(sheet)],
    ['10 000 lignes × 6 colonnes', 'a.ods', toOds(sheet)],
    ['ODS 140 000 cellules × 1 000', 'h.ods', odsRepeatedCells()],
    ['XLSX 4 000 lignes en XFD', 'h.xlsx', xlsxFarRightColumn()],
    ['5 Mo de « ; »', 'h.csv', csvDelimiterFlood(5 * MB)],
    ['19 Mo de « ; »', 'h.csv', csvDelimiterFlood(19 * MB)],
    ['XLSX déclaré 1 000 o, 1,5 Go décompressé', 'h.xlsx', xlsxInflationBomb()],
  ];
  lines.push('## Reading in the calling thread (median of 3)', '', '| file | size | ms | outcome |', '|---|---|---|---|');
  for (const [label, name, bytes] of files) {
    const runs = [0, 1, 2].map(() => timeRead(bytes, name)).sort((a, b) => a.ms - b.ms);
    lines.push(
      `| ${label} (${name.split('.')[1]}) | ${(bytes.length / 1024).toFixed(0)} KB | ${runs[1].ms.toFixed(0)} | ${runs[1].outcome} |`,
    );
    console.log(lines.at(-1));
  }

  // 2. Through the server: /healthz over a socket while each hostile file is uploaded.
  const t = await createTestApp('pglite');
  const f = await createTestCatalog(t.db, { varied: true, procedures: 4 });
  const member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administrationId: f.administrations[0] }]);
  const origin = await t.app.listen({ host: '127.0.0.1', port: 0 });
  lines.push(
    '',
    '## /healthz during the upload (observatoire value import, reading thread warm)',
    '',
    '| file | upload ms | /healthz answers | p50 ms | max ms | RSS growth MB |',
    '|---|---|---|---|---|---|',
  );
  await member.get('/observatoire/admin/valeurs/import');
  const warm = multipart({ _csrf: member.lastCsrf!, simulation: 'oui' }, 'w.csv', Buffer.from('identifiant_stable;dlnuf\n'));
  await member.request({
    method: 'POST',
    url: '/observatoire/admin/valeurs/import',
    payload: warm.payload,
    headers: { 'content-type': warm.contentType },
  });
  for (const [label, name, bytes] of files.slice(3).filter(([, , b]) => b.length <= 5 * MB)) {
    await member.get('/observatoire/admin/valeurs/import');
    const { payload, contentType } = multipart({ _csrf: member.lastCsrf!, simulation: 'oui' }, name, bytes);
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    let done = false;
    const started = performance.now();
    const upload = member
      .request({ method: 'POST', url: '/observatoire/admin/valeurs/import', payload, headers: { 'content-type': contentType } })
      .finally(() => (done = true));
    const latencies: number[] = [];
    while (!done) {
      const t0 = performance.now();
      await (await fetch(`${origin}/healthz`)).arrayBuffer();
      latencies.push(performance.now() - t0);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const response = await upload;
    const ms = performance.now() - started;
    latencies.sort((a, b) => a - b);
    lines.push(
      `| ${label} → ${response.statusCode} | ${ms.toFixed(0)} | ${latencies.length} | ${(latencies[Math.floor(latencies.length / 2)] ?? 0).toFixed(1)} | ${(latencies.at(-1) ?? 0).toFixed(1)} | ${((peak - rssBefore) / MB).toFixed(0)} |`,
    );
    console.log(lines.at(-1));
  }
  await t.close();
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/uploads.md'), lines.join('\n') + '\n');
}
