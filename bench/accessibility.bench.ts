/**
 * Accessibility audits benchmark (issue 12): a full audit of 20 pages (20 × 106 = 2 120 cells). Targets: one page of
 * the grid rendered p99 < 100 ms; one cell saved p99 < 30 ms with 20 auditors saving at once; the rate recomputed
 * < 20 ms; the export of the full audit < 1 s; with 10 000 audits over 2 000 procedures, a ministry's accessibility
 * dashboard < 200 ms. Requests go through the real server (app.inject: routing, access, CSRF, rendering), the
 * database on the local PostgreSQL server when TEST_DATABASE_URL (or DATABASE_URL) is set, else PGlite.
 * The cell saves are measured twice: 20 auditors each saving in a closed loop with no pause (a stress: every save waits
 * behind the 19 others in the one Node process and its pool), and 20 auditors working at once at a pace still far
 * above a person's (one save every 200 to 400 ms each, ~70 saves a second together). Writes bench/results/accessibility.md.
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
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];

export async function run(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL && process.env.DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
  const engine = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
  const t = await createTestApp(engine);
  const lines = [
    `# Accessibility audits (issue 12)`,
    '',
    `${new Date().toISOString()}, ${engine}, Node ${process.version}, ${os.cpus()[0]?.model ?? ''}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    '',
  ];
  try {
    const cat = await createTestCatalog(t.db, { prefix: 'bench-a11y' });
    const criteria = referential().auditCriteria('full');
    const { auditId, pages } = await t.db.transaction(async (tx) => {
      const id = await createAudit(tx, { procedureId: cat.procedures[0], type: 'full', name: 'Audit de charge', actor: null });
      const p: number[] = [];
      for (let i = 1; i <= 20; i++)
        p.push(
          await addPage(tx, {
            auditId: id,
            name: `Page ${i}`,
            url: `https://exemple.gouv.fr/page-${i}`,
            kind: i === 1 ? 'accueil' : 'autre',
            actor: null,
          }),
        );
      // A realistic mix: most cells C, some NA, one in twelve NC with an item.
      await tx.query(
        `UPDATE accessibility_results SET status = CASE WHEN (page_id + length(criterion)) % 12 = 0 THEN 'NC' WHEN (page_id + length(criterion)) % 7 = 0 THEN 'NA' ELSE 'C' END WHERE audit_id = $1`,
        [id],
      );
      await tx.query(
        `INSERT INTO accessibility_nc_items (page_id, criterion, position, description, impact, quick_win, recommendation)
         SELECT page_id, criterion, 1, 'Anomalie relevée sur ' || criterion, 'majeur', false, 'Corriger selon la méthodologie du test.' FROM accessibility_results WHERE audit_id = $1 AND status = 'NC'`,
        [id],
      );
      return { auditId: id, pages: p };
    });
    const cells = Number(
      (await t.db.query('SELECT count(*)::int AS n FROM accessibility_results WHERE audit_id = $1', [auditId])).rows[0].n,
    );
    lines.push(
      `A full audit of ${pages.length} pages: ${cells} cells.`,
      '',
      '| measure | runs | median ms | p99 ms | target |',
      '|---|---|---|---|---|',
    );

    const auditors: Awaited<ReturnType<typeof sessionClient>>[] = [];
    for (let i = 0; i < 20; i++) {
      const id = await createTestUser(t.db, `auditeur-${i}@bench.gouv.fr`, [{ role: 'procedure_editor', procedureId: cat.procedures[0] }]);
      auditors.push(await sessionClient(t.app, t.db, id));
    }

    // One page of the grid: as it opens (one theme: the first with an untested criterion) and with every theme (« Toutes »,
    // 106 criteria with their tests and glossary).
    const grid = auditors[0];
    for (const [label, suffix] of [
      ['grid page as it opens (one theme)', ''],
      ['grid page, every theme (106 criteria)', '&theme=toutes'],
    ] as const) {
      for (let i = 0; i < 10; i++) await grid.get(`/audits-accessibilite/${auditId}/grille?page=${pages[i % 20]}${suffix}`);
      const renders: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 100; i++) {
        const started = performance.now();
        const res = await grid.get(`/audits-accessibilite/${auditId}/grille?page=${pages[i % 20]}${suffix}`);
        renders.push(ms(started));
        if (res.statusCode !== 200) throw new Error(`grid: ${res.statusCode}`);
        bytes = res.body.length;
      }
      lines.push(
        `| ${label}, ${(bytes / 1024).toFixed(0)} KB of HTML | ${renders.length} | ${percentile(renders, 50).toFixed(1)} | ${percentile(renders, 99).toFixed(1)} | < 100 |`,
      );
    }

    // 20 auditors saving at once, each its own cells (page i, every criterion in turn), as the script does (JSON).
    const tokens = await Promise.all(auditors.map((c) => c.csrf()));
    const versions = new Map<string, number>();
    for (const r of (await t.db.query('SELECT page_id, criterion, version FROM accessibility_results WHERE audit_id = $1', [auditId])).rows)
      versions.set(`${r.page_id}:${r.criterion}`, Number(r.version));
    /** Auditor `i` saves the `k`-th criterion of its page, on the version it last saw; the time taken and the answer. */
    const saveCell = async (i: number, pageId: number, k: number) => {
      const criterion = criteria[k % criteria.length];
      const key = `${pageId}:${criterion}`;
      const started = performance.now();
      const res = await auditors[i].request({
        method: 'POST',
        url: `/audits-accessibilite/${auditId}/grille`,
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: tokens[i],
          page_id: String(pageId),
          criterion,
          status: k % 2 ? 'C' : 'NA',
          note: '',
          version: String(versions.get(key)),
        }).toString(),
      });
      const time = ms(started);
      if (res.statusCode === 200) versions.set(key, JSON.parse(res.body).version);
      return { time, status: res.statusCode };
    };
    /**
     * The 20 auditors at once, each saving the criteria `from` to `to` (excluded) of its own page, one after the other:
     * without `pause`, in a closed loop; with it, waiting `pause()` ms before its first save and after each.
     */
    const savesAtOnce = async (from: number, to: number, pause?: () => number) => {
      const times: number[] = [];
      let refused = 0;
      await Promise.all(
        auditors.map(async (_, i) => {
          if (pause) await new Promise((resolve) => setTimeout(resolve, pause()));
          for (let k = from; k < to; k++) {
            const save = await saveCell(i, pages[i], k);
            times.push(save.time);
            if (save.status !== 200) refused++;
            if (pause) await new Promise((resolve) => setTimeout(resolve, pause()));
          }
        }),
      );
      return { times, refused };
    };
    const perAuditor = 40;
    const closed = await savesAtOnce(0, perAuditor);
    lines.push(
      `| cell saved, 20 auditors at once, closed loop without pause (${closed.refused} refused) | ${closed.times.length} | ${percentile(closed.times, 50).toFixed(1)} | ${percentile(closed.times, 99).toFixed(1)} | < 30 |`,
    );

    // One auditor alone, saves one after the other: the service time of a save, without waiting behind others; and the
    // number of database queries one save request costs (session, access, the save statement).
    const alone: number[] = [];
    let queries = 0;
    for (let k = 0; k < 100; k++) {
      const before = t.db.queryCount;
      const save = await saveCell(0, pages[0], k + 50);
      alone.push(save.time);
      queries = t.db.queryCount - before;
      if (save.status !== 200) throw new Error(`save alone: ${save.status}`);
    }
    lines.push(
      `| cell saved, one auditor alone (${queries} queries per save request) | ${alone.length} | ${percentile(alone, 50).toFixed(1)} | ${percentile(alone, 99).toFixed(1)} | (service time) |`,
    );

    // The same 20 auditors at a working pace: each saves its next cell 200 to 400 ms after the previous one returned.
    let seed = 7;
    const jitter = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 200;
    const paced = await savesAtOnce(perAuditor, perAuditor + 30, () => 200 + jitter());
    lines.push(
      `| cell saved, 20 auditors at once, each every 200–400 ms (${paced.refused} refused) | ${paced.times.length} | ${percentile(paced.times, 50).toFixed(1)} | ${percentile(paced.times, 99).toFixed(1)} | < 30 |`,
    );

    const rates: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      await auditConformity(t.db, auditId);
      rates.push(ms(started));
    }
    lines.push(
      `| rate recomputed (auditConformity: one query, ${cells} cells folded per page, compute) | ${rates.length} | ${percentile(rates, 50).toFixed(1)} | ${percentile(rates, 99).toFixed(1)} | < 20 |`,
    );

    for (const format of ['csv', 'xlsx', 'ods', 'json'] as const) {
      const times: number[] = [];
      let size = 0;
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const file = await exportAudit(t.db, auditId, format);
        times.push(ms(started));
        size = Buffer.byteLength(file!.body);
      }
      lines.push(
        `| export ${format.toUpperCase()} (${(size / 1024).toFixed(0)} KB) | ${times.length} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 99).toFixed(0)} | < 1 000 |`,
      );
    }

    lines.push('', ...(await dashboard(t)));
    lines.push(
      '',
      `Load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}.`,
    );
  } finally {
    await t.close();
  }
  const text = lines.join('\n') + '\n';
  console.log(text);
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/accessibility.md'), text);
}

/**
 * A ministry of 2 000 procedures (10 administrations), 10 000 audits (5 per procedure: 4 published, 1 in progress;
 * fast audits of 2 pages, 500 000 cells), a published declaration for 1 500 of them, a roadmap with 3 milestones for
 * each; its dashboard page as its referent sees it (GET /rgaa/ministeres/:id).
 */
async function dashboard(t: Awaited<ReturnType<typeof createTestApp>>): Promise<string[]> {
  const started = performance.now();
  const ministryId = await t.db.transaction(async (tx) => {
    const { rows: m } = await tx.query<{ id: number }>(
      `INSERT INTO ministries (code, name) VALUES ('BENCH-A11Y', 'Ministère du banc d’essai') RETURNING id`,
    );
    const administrationIds: number[] = [];
    for (let a = 1; a <= 10; a++) {
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO administrations (ministry_id, code, name) VALUES ($1, $2, $3) RETURNING id`,
        [m[0].id, `BENCH-A11Y-${a}`, `Direction d’essai n° ${a}`],
      );
      administrationIds.push(Number(rows[0].id));
    }
    await tx.query(
      `INSERT INTO procedures (stable_id, slug, title, administration_id, in_scope)
       SELECT 'BENCH-A11Y-' || i, 'demarche-a11y-' || i, 'Démarche d’essai n° ' || i, ($1::bigint[])[1 + (i % 10)], i % 4 <> 0
         FROM generate_series(1, 2000) AS i`,
      [administrationIds],
    );
    await tx.query(
      `INSERT INTO accessibility_audits (procedure_id, audit_type, status, name, published_at, finished_on)
       SELECT p.id, 'fast', CASE WHEN k < 5 THEN 'published' ELSE 'in_progress' END, 'Audit ' || k,
              CASE WHEN k < 5 THEN now() - (5 - k) * interval '200 days' END, CASE WHEN k < 5 THEN (now() - (5 - k) * interval '200 days')::date END
         FROM procedures p, generate_series(1, 5) AS k WHERE p.stable_id LIKE 'BENCH-A11Y-%'`,
    );
    await tx.query(
      `INSERT INTO accessibility_audit_pages (audit_id, position, name, kind)
       SELECT a.id, n, CASE WHEN n = 1 THEN 'Accueil' ELSE 'Contact' END, CASE WHEN n = 1 THEN 'accueil' ELSE 'contact' END
         FROM accessibility_audits a JOIN procedures p ON p.id = a.procedure_id, generate_series(1, 2) AS n WHERE p.stable_id LIKE 'BENCH-A11Y-%'`,
    );
    const fast = referential().auditCriteria('fast');
    await tx.query(
      `INSERT INTO accessibility_results (audit_id, page_id, criterion, status)
       SELECT pg.audit_id, pg.id, c, CASE WHEN (pg.id + length(c)) % 9 = 0 THEN 'NC' WHEN (pg.id + length(c)) % 5 = 0 THEN 'NA' ELSE 'C' END
         FROM accessibility_audit_pages pg JOIN accessibility_audits a ON a.id = pg.audit_id JOIN procedures p ON p.id = a.procedure_id, unnest($1::text[]) AS c
        WHERE p.stable_id LIKE 'BENCH-A11Y-%'`,
      [fast],
    );
    // The published declaration of three procedures in four, from their latest published audit: the stored content
    // has the shape of declarations/content.ts (30 pages, 25 non-conformities), the rate varying from one to the next.
    const content = {
      format: 1,
      procedure: { id: 0, stableId: '', title: '' },
      engagement: { organisation: 'Direction d’essai', text: '', multiYearPlanUrl: null, actionPlanUrl: null },
      scope: { service: 'Démarche d’essai', url: 'https://exemple.gouv.fr' },
      conformity: {
        label: 'partiellement_conforme',
        labelText: 'partiellement conforme',
        mention: 'Accessibilité : partiellement conforme',
        referential: 'RGAA 4.1.2',
        rgaaVersion: '4.1.2',
      },
      results: {
        auditedBy: 'Cabinet d’essai',
        rate: 70,
        exactRate: 70.2,
        respected: 40,
        applicable: 57,
        averageRate: 72,
        auditSummaryUrl: '/api/v1/accessibility/audits/1',
      },
      nonAccessible: {
        nonConformities: Array.from({ length: 25 }, (_, i) => ({
          criterion: `${1 + (i % 13)}.${1 + i}`,
          title: 'Chaque image porteuse d’information a-t-elle une alternative textuelle ?',
          pages: ['Accueil', 'Contact', 'Paiement'],
          items: [
            'Accueil : le logo n’a pas d’alternative textuelle pertinente.',
            'Paiement : le bouton « Valider » est une image sans alternative.',
          ],
        })),
        notes: ['Les documents PDF antérieurs à 2020 ne sont pas accessibles ; une version HTML est disponible sur demande.'],
        derogations: [],
        exempted: ['Cartes interactives'],
      },
      establishment: {
        establishedOn: '2026-01-15',
        updatedOn: '2026-01-15',
        technologies: ['HTML5', 'CSS', 'JavaScript'],
        environments: ['NVDA 2024.1 · Firefox · Windows 11', 'VoiceOver · Safari · macOS 14'],
        tools: ['Colour Contrast Analyser', 'HeadingsMap'],
        pages: Array.from({ length: 30 }, (_, i) => ({ name: `Page ${i + 1}`, url: `https://exemple.gouv.fr/page-${i + 1}` })),
      },
      contact: { entity: 'Direction d’essai', email: 'accessibilite@exemple.gouv.fr', formUrl: null, pageUrl: null },
      remedies: {
        defenseurDesDroits: [
          'Écrire un message au Défenseur des droits',
          'Contacter le délégué du Défenseur des droits',
          'Envoyer un courrier par la poste',
        ],
      },
      audit: { id: 0, type: 'full', rgaaVersion: '4.1.2', publishedOn: '2026-01-15', finishedOn: '2026-01-10' },
    };
    await tx.query(
      `INSERT INTO accessibility_declarations (procedure_id, audit_id, contact_email, published, published_at, first_published_at)
       SELECT p.id, (SELECT max(a.id) FROM accessibility_audits a WHERE a.procedure_id = p.id AND a.status = 'published'), 'accessibilite@exemple.gouv.fr',
              jsonb_set(jsonb_set(jsonb_set($1::jsonb, '{results,rate}', to_jsonb((p.id * 37) % 101)), '{conformity,label}',
                to_jsonb(CASE WHEN (p.id * 37) % 101 = 100 THEN 'totalement_conforme' WHEN (p.id * 37) % 101 >= 50 THEN 'partiellement_conforme' ELSE 'non_conforme' END)),
                '{procedure,id}', to_jsonb(p.id)),
              now() - (p.id % 1200) * interval '1 day', now() - (p.id % 1200) * interval '1 day'
         FROM procedures p WHERE p.stable_id LIKE 'BENCH-A11Y-%' AND p.id % 4 <> 1`,
      [JSON.stringify(content)],
    );
    await tx.query(
      `INSERT INTO accessibility_roadmaps (procedure_id, target_on) SELECT id, DATE '2027-06-30' FROM procedures WHERE stable_id LIKE 'BENCH-A11Y-%'`,
    );
    await tx.query(
      `INSERT INTO accessibility_milestones (procedure_id, kind, title, owner, due_on, status, done_on)
       SELECT p.id, (ARRAY['audit', 'fixes', 'declaration'])[k], 'Jalon ' || k, 'Équipe', DATE '2026-06-01' + (k * 120 + p.id % 90)::int,
              CASE WHEN k = 1 THEN 'done' ELSE 'planned' END, CASE WHEN k = 1 THEN DATE '2026-06-01' END
         FROM procedures p, generate_series(1, 3) AS k WHERE p.stable_id LIKE 'BENCH-A11Y-%'`,
    );
    return Number(m[0].id);
  });
  await t.db.query('ANALYZE');
  const seeded = ms(started);
  const { rows: counts } = await t.db.query<{ audits: number; procedures: number; cells: number; declarations: number }>(
    `SELECT (SELECT count(*)::int FROM accessibility_audits) AS audits, (SELECT count(*)::int FROM procedures) AS procedures,
            (SELECT count(*)::int FROM accessibility_results) AS cells, (SELECT count(*)::int FROM accessibility_declarations WHERE published IS NOT NULL) AS declarations`,
  );
  const referent = await createTestUser(t.db, 'referent@bench.gouv.fr', [{ role: 'ministry_referent', ministryId }]);
  const client = await sessionClient(t.app, t.db, referent);
  const url = `/rgaa/ministeres/${ministryId}`;
  for (let i = 0; i < 3; i++) await client.get(url);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 30; i++) {
    const s = performance.now();
    const res = await client.get(url);
    times.push(ms(s));
    if (res.statusCode !== 200) throw new Error(`dashboard: ${res.statusCode}`);
    bytes = res.body.length;
  }
  const c = counts[0];
  return [
    `Ministry dashboard: ${c.audits} audits over ${c.procedures} procedures (${c.cells} cells, ${c.declarations} published declarations), seeded in ${(seeded / 1000).toFixed(1)} s; one ministry of 2 000 of them.`,
    '',
    '| measure | runs | median ms | p99 ms | target |',
    '|---|---|---|---|---|',
    `| ministry dashboard page, 2 000 procedures (${(bytes / 1024).toFixed(0)} KB of HTML) | ${times.length} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 99).toFixed(1)} | < 200 |`,
  ];
}
