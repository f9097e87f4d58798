import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import type { Queryable } from '../../kernel/db/db.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from './drafts.ts';
import { publishEdition } from './publish.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

/**
 * A published accessibility declaration written by hand (the shape the accessibility source reads): RGAA 4.1.2 (the
 * latest known version), an audit of 2026-05-15, a contact and one page tested, so its « handicap » value is `rate`
 * on any day of the windows below (valid 3 years from `publishedAt`).
 */
async function publishDeclaration(db: Queryable, procedureId: number, rate: number, publishedAt: string): Promise<void> {
  const content = {
    audit: { rgaaVersion: '4.1.2', finishedOn: '2026-05-15', publishedOn: '2026-05-20' },
    results: { rate },
    contact: { email: 'accessibilite@exemple.gouv.fr' },
    establishment: { pages: [{ title: 'Accueil', url: 'https://exemple.gouv.fr/' }] },
  };
  await db.query(`INSERT INTO accessibility_declarations (procedure_id, published, published_at) VALUES ($1, $2::jsonb, $3::timestamptz)`, [
    procedureId,
    JSON.stringify(content),
    `${publishedAt}T10:00:00Z`,
  ]);
}

const MARK = /<span class="fr-badge fr-badge--sm fr-badge--no-icon obs-manual">saisie manuelle<\/span>/g;

/** The public table's row (not the small screens' card) of a procedure. */
function tableRow(page: string, title: string): string {
  const table = page.slice(page.indexOf('<table class="obs-table">'), page.indexOf('</table>', page.indexOf('<table class="obs-table">')));
  const row = table.split('<tr>').find((r) => r.includes(`>${title}</a>`));
  assert.ok(row, `row of ${title}`);
  return row;
}

for (const target of TEST_TARGETS) {
  describe(`per-cell provenance: values entered by hand are marked (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let first: number;
    let second: number;
    // varied catalogue: « Démarche n° 0001 », « Démarche n° 0002 », « Démarche n° 0003 écologique », all in scope.
    const [P1, P2, P3] = ['Démarche n° 0001', 'Démarche n° 0002', 'Démarche n° 0003 écologique'];
    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 3 });
      const [p1, p2, p3] = f.procedures;
      // P1: a declaration at 75 % and a typed 40 (the declaration wins); P2: only a typed 90; P3: a typed uptime of
      // 99,5 % (not monitored) and nothing for « handicap » (0, « Non », not a manual value).
      await setLiveValues(t.db, [p1, p2], 'handicap', [40, 90]);
      await setLiveValues(t.db, [p3], 'uptime', [99.5]);
      await publishDeclaration(t.db, p1, 75, '2026-06-01');
      first = await createDraft(t.db, { name: 'Été', period: 'T3', windowStart: '2026-07-01', windowEnd: '2026-09-30' }, null);
      await publishEdition(t.db, first, null);
      // P2's declaration (62 %) comes after the first edition, before the end of the second one's window.
      await publishDeclaration(t.db, p2, 62, '2026-10-15');
      second = await createDraft(t.db, { name: 'Octobre', period: 'M10', windowStart: '2026-10-01', windowEnd: '2026-10-31' }, null);
      await publishEdition(t.db, second, null);
    });
    after(async () => t?.close());

    test('frozen with the values: the declared rate unmarked, the typed value marked, the mark kept after a later declaration', async () => {
      const { rows } = await t.db.query(
        `SELECT edition_id, procedure_id, indicator, raw_value, entered_by_hand FROM obs_edition_values
          WHERE indicator IN ('handicap', 'uptime') ORDER BY edition_id, procedure_id, indicator`,
      );
      const [p1, p2, p3] = f.procedures;
      const got = rows.map((r) => [Number(r.edition_id), Number(r.procedure_id), r.indicator, r.raw_value, r.entered_by_hand]);
      assert.deepEqual(got, [
        [first, p1, 'handicap', '75', false],
        [first, p1, 'uptime', null, false],
        [first, p2, 'handicap', '90', true],
        [first, p2, 'uptime', null, false],
        [first, p3, 'handicap', '0', false],
        [first, p3, 'uptime', '99.5', true],
        [second, p1, 'handicap', '75', false],
        [second, p1, 'uptime', null, false],
        [second, p2, 'handicap', '62', false],
        [second, p2, 'uptime', null, false],
        [second, p3, 'handicap', '0', false],
        [second, p3, 'uptime', '99.5', true],
      ]);
    });

    test('public edition table: « saisie manuelle » beside the typed values only, with its legend', async () => {
      const page = (await t.app.inject(`/observatoire/editions/${first}`)).body;
      assert.equal(tableRow(page, P1).match(MARK), null, 'the declared 75 % is not marked');
      assert.match(tableRow(page, P1), /<span class="obs-value">75 %<\/span>/);
      assert.match(
        tableRow(page, P2),
        /<span class="obs-value">90 %<\/span> <span class="fr-badge[^"]*obs-manual">saisie manuelle<\/span>/,
      );
      assert.equal(tableRow(page, P2).match(MARK)?.length, 1);
      assert.equal(tableRow(page, P3).match(MARK)?.length, 1, 'the typed uptime');
      assert.match(page, /« saisie manuelle » : la valeur a été déclarée par l’administration/);
      const later = (await t.app.inject(`/observatoire/editions/${second}`)).body;
      assert.equal(tableRow(later, P2).match(MARK), null, 'the declaration now counts: 62 %, unmarked');
      assert.match(tableRow(later, P2), /<span class="obs-value">62 %<\/span>/);
    });

    test('procedure page: the latest value unmarked, the first edition’s row of the history still marked', async () => {
      const page = (await t.app.inject(`/observatoire/demarches/${f.procedureStableIds[1]}`)).body;
      const latest = page.slice(page.indexOf('<h2>Dernières valeurs</h2>'), page.indexOf('Historique</h2>'));
      assert.equal(latest.match(MARK), null);
      const history = page.slice(page.indexOf('id="historique-handicap"'));
      const rowsOf = history.slice(0, history.indexOf('</table>')).split('<tr>');
      assert.match(rowsOf.find((r) => r.includes('>Été ('))!, /90 % <span class="fr-badge[^"]*obs-manual">saisie manuelle<\/span>/);
      assert.equal(rowsOf.find((r) => r.includes('>Octobre ('))!.match(MARK), null);
      assert.match(page, /« saisie manuelle » : la valeur a été déclarée/);
    });

    test('draft preview (back office): computed live, marked the same way, with the legend', async () => {
      const admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }], 'pilote-provenance@exemple.gouv.fr');
      const draft = await createDraft(t.db, { name: 'Novembre', period: 'M11', windowStart: '2026-11-01', windowEnd: '2026-11-30' }, null);
      const page = (await admin.get(`/observatoire/admin/editions/${draft}`)).body;
      assert.equal(tableRow(page, P2).match(MARK), null, 'P2 has its declaration now');
      assert.match(tableRow(page, P3), /99,5 %<\/span> <span class="fr-badge[^"]*obs-manual">saisie manuelle<\/span>/);
      assert.match(page, /« saisie manuelle » : la valeur a été déclarée/);
      await t.db.query('DELETE FROM obs_editions WHERE id = $1', [draft]);
    });

    test('CSV, JSON export and API: a field per cell', async () => {
      const csv = parse((await t.app.inject(`/observatoire/editions/${first}/export.csv?tri=titre`)).rawPayload, {
        columns: true,
        bom: true,
      }) as Record<string, string>[];
      assert.deepEqual(
        csv.map((r) => [r.demarche, r.handicap_valeur, r.handicap_saisie_manuelle, r.uptime_saisie_manuelle]),
        [
          [P1, '75', 'false', 'false'],
          [P2, '90', 'true', 'false'],
          [P3, '0', 'false', 'true'],
        ],
      );
      const json = (await t.app.inject(`/observatoire/editions/${first}/export.json?tri=titre`)).json();
      const items = json;
      assert.deepEqual(
        items.map((i: any) => [i.title, i.indicators.handicap.enteredByHand]),
        [
          [P1, false],
          [P2, true],
          [P3, false],
        ],
      );
      const api = (await t.app.inject(`/api/v1/editions/${first}/procedures?tri=titre`)).json();
      assert.deepEqual(
        api.items.map((i: any) => [i.title, i.indicators.handicap.value, i.indicators.handicap.enteredByHand]),
        [
          [P1, 75, false],
          [P2, 90, true],
          [P3, 0, false],
        ],
      );
      const history = (await t.app.inject(`/api/v1/procedures/${f.procedureStableIds[1]}/history`)).json();
      assert.deepEqual(JSON.stringify(history).match(/"enteredByHand":true/g)?.length, 1, 'P2: the first edition’s « handicap » only');
    });
  });
}
