/**
 * Accessibility audits benchmark (issue 12): a full audit of 20 pages (20 × 106 = 2 120 cells). Targets: one page of
 * the grid rendered p99 < 100 ms; one cell saved p99 < 30 ms with 20 auditors saving at once; the rate recomputed
 * < 20 ms; the export of the full audit < 1 s. Requests go through the real server (app.inject: routing, access,
 * CSRF, rendering). PostgreSQL when TEST_DATABASE_URL is set, else PGlite. Writes bench/results/accessibility.md.
 * Run: `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- bench/accessibility.bench.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestApp } from '../test/helpers/app.ts';
import { createTestUser, sessionClient } from '../test/helpers/users.ts';
import { addPage, auditConformity, createAudit } from '../src/accessibility/audits/queries.ts';
import { exportAudit } from '../src/accessibility/audits/export.ts';
import { referential } from '../src/accessibility/rgaa/referential.ts';
import { createTestCatalog } from '../src/catalog/testing.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ms = (started: number) => performance.now() - started;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];

export async function run(): Promise<void> {
  const engine = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
  const t = await createTestApp(engine);
  const lines = [`# Accessibility audits (issue 12)`, '', `${new Date().toISOString()}, ${engine}, Node ${process.version}, ${os.cpus()[0]?.model ?? ''}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`, ''];
  try {
    const cat = await createTestCatalog(t.db, { prefix: 'bench-a11y' });
    const criteria = referential().auditCriteria('full');
    const { auditId, pages } = await t.db.transaction(async (tx) => {
      const id = await createAudit(tx, { procedureId: cat.procedures[0], type: 'full', name: 'Audit de charge', actor: null });
      const p: number[] = [];
      for (let i = 1; i <= 20; i++) p.push(await addPage(tx, { auditId: id, name: `Page ${i}`, url: `https://exemple.gouv.fr/page-${i}`, kind: i === 1 ? 'accueil' : 'autre', actor: null }));
      // A realistic mix: most cells C, some NA, one in twelve NC with an item.
      await tx.query(`UPDATE accessibility_results SET status = CASE WHEN (page_id + length(criterion)) % 12 = 0 THEN 'NC' WHEN (page_id + length(criterion)) % 7 = 0 THEN 'NA' ELSE 'C' END WHERE audit_id = $1`, [id]);
      await tx.query(
        `INSERT INTO accessibility_nc_items (page_id, criterion, position, description, impact, quick_win, recommendation)
         SELECT page_id, criterion, 1, 'Anomalie relevée sur ' || criterion, 'majeur', false, 'Corriger selon la méthodologie du test.' FROM accessibility_results WHERE audit_id = $1 AND status = 'NC'`,
        [id],
      );
      return { auditId: id, pages: p };
    });
    const cells = Number((await t.db.query('SELECT count(*)::int AS n FROM accessibility_results WHERE audit_id = $1', [auditId])).rows[0].n);
    lines.push(`A full audit of ${pages.length} pages: ${cells} cells.`, '', '| measure | runs | median ms | p99 ms | target |', '|---|---|---|---|---|');

    const auditors = [];
    for (let i = 0; i < 20; i++) {
      const id = await createTestUser(t.db, `auditeur-${i}@bench.gouv.fr`, [{ role: 'procedure_editor', procedureId: cat.procedures[0] }]);
      auditors.push(await sessionClient(t.app, t.db, id));
    }

    // One page of the grid (all 106 criteria, with their tests, methodology and glossary).
    const grid = auditors[0];
    for (let i = 0; i < 10; i++) await grid.get(`/audits-accessibilite/${auditId}/grille?page=${pages[i % 20]}`);
    const renders: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 100; i++) {
      const started = performance.now();
      const res = await grid.get(`/audits-accessibilite/${auditId}/grille?page=${pages[i % 20]}`);
      renders.push(ms(started));
      if (res.statusCode !== 200) throw new Error(`grid: ${res.statusCode}`);
      bytes = res.body.length;
    }
    lines.push(`| grid page (106 criteria, ${(bytes / 1024).toFixed(0)} KB of HTML) | ${renders.length} | ${percentile(renders, 50).toFixed(1)} | ${percentile(renders, 99).toFixed(1)} | < 100 |`);

    // 20 auditors saving at once, each its own cells (page i, every criterion in turn), as the script does (JSON).
    const tokens = await Promise.all(auditors.map((c) => c.csrf()));
    const versions = new Map<string, number>();
    for (const r of (await t.db.query('SELECT page_id, criterion, version FROM accessibility_results WHERE audit_id = $1', [auditId])).rows) versions.set(`${r.page_id}:${r.criterion}`, Number(r.version));
    const saves: number[] = [];
    let refused = 0;
    const perAuditor = 40;
    await Promise.all(
      auditors.map(async (c, i) => {
        for (let k = 0; k < perAuditor; k++) {
          const pageId = pages[i];
          const criterion = criteria[k % criteria.length];
          const key = `${pageId}:${criterion}`;
          const started = performance.now();
          const res = await c.request({
            method: 'POST',
            url: `/audits-accessibilite/${auditId}/grille`,
            headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({ _csrf: tokens[i], page_id: String(pageId), criterion, status: k % 2 ? 'C' : 'NA', note: '', version: String(versions.get(key)) }).toString(),
          });
          saves.push(ms(started));
          if (res.statusCode !== 200) refused++;
          else versions.set(key, JSON.parse(res.body).version);
        }
      }),
    );
    lines.push(`| cell saved, 20 auditors at once (${refused} refused) | ${saves.length} | ${percentile(saves, 50).toFixed(1)} | ${percentile(saves, 99).toFixed(1)} | < 30 |`);

    const rates: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      await auditConformity(t.db, auditId);
      rates.push(ms(started));
    }
    lines.push(`| rate recomputed (auditConformity: read ${cells} cells, compute) | ${rates.length} | ${percentile(rates, 50).toFixed(1)} | ${percentile(rates, 99).toFixed(1)} | < 20 |`);

    for (const format of ['csv', 'xlsx', 'ods', 'json'] as const) {
      const times: number[] = [];
      let size = 0;
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const file = await exportAudit(t.db, auditId, format);
        times.push(ms(started));
        size = Buffer.byteLength(file!.body);
      }
      lines.push(`| export ${format.toUpperCase()} (${(size / 1024).toFixed(0)} KB) | ${times.length} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 99).toFixed(0)} | < 1 000 |`);
    }
    lines.push('', `Load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}.`);
  } finally {
    await t.close();
  }
  const text = lines.join('\n') + '\n';
  console.log(text);
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/accessibility.md'), text);
}
