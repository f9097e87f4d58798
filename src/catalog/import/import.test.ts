import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { seedCatalogDemo } from '../demo/seed.ts';
import { readTableFile } from '../../kernel/spreadsheet/read-file.ts';
import { planImport } from './plan.ts';
import { applyImport, StalePreviewError } from './apply.ts';
import { toCsv, toOds, toXlsx, type Sheet } from '../../kernel/spreadsheet/fixtures.ts';

const HEADERS = [
  'Identifiant',
  'Intitulé',
  'Administration',
  'Publics',
  'Volume annuel total',
  'Volume annuel en ligne',
  'Statut en ligne',
  'FranceConnect',
  'Top 250',
  'Canaux d’aide',
];

/** Two new procedures and an update of a demo one, with a multi-line help channel cell and accents everywhere. */
const SHEET: Sheet = [
  HEADERS,
  [
    'ants-vehicule-collection',
    'Carte grise « collection » pour véhicule ancien',
    'ants',
    'particuliers, professionnels',
    42000,
    40000,
    'En ligne',
    'FranceConnect',
    'oui',
    'telephone | Serveur vocal | 34 00 | Lun-ven 8h-20h\ncourriel | Écrire à l’ANTS | contact@ants.gouv.fr | ',
  ],
  ['dgfip-nouvelle-demarche', 'Déclaration d’un bien étranger', 'dgfip', 'particuliers', '1 250', '', 'partiel', 'non', 'non', ''],
  [
    'dgfip-paiement-amendes',
    'Paiement des amendes',
    'dgfip',
    'particuliers, professionnels',
    19000000,
    18000000,
    'oui',
    'franceconnect',
    'oui',
    '',
  ],
];

for (const target of TEST_TARGETS) {
  describe(`catalogue import (${target})`, () => {
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
      await seedCatalogDemo(db);
    });
    after(async () => db.destroy());

    for (const [format, make] of [
      ['csv', async () => toCsv(SHEET)],
      ['xlsx', () => toXlsx(SHEET)],
      ['ods', async () => toOds(SHEET)],
    ] as const) {
      test(`${format}: columns by header name, the dry run lists creations and changed fields`, async () => {
        const { format: detected, table } = await readTableFile(await make(), `demarches.${format}`);
        assert.equal(detected, format);
        // Lines of the file: in CSV the first record's help channels cell spans two lines.
        assert.deepEqual(
          table.rows.map((r) => r.line),
          format === 'csv' ? [2, 4, 5] : [2, 3, 4],
        );
        const plan = await planImport(db, null, table);
        assert.deepEqual(plan.errors, []);
        assert.deepEqual(plan.counts, { create: 2, update: 1, unchanged: 0 });
        const update = plan.changes.find((c) => c.stableId === 'dgfip-paiement-amendes')!;
        assert.equal(update.action, 'update');
        assert.ok(update.fields.includes('Volume annuel total'), update.fields.join());
        assert.ok(!update.fields.includes('Intitulé'));
        const created = plan.writes.find((w) => w.input.stableId === 'ants-vehicule-collection')!.input;
        assert.equal(created.title, 'Carte grise « collection » pour véhicule ancien');
        assert.deepEqual(created.userCategories, ['particuliers', 'professionnels']);
        assert.equal(created.onlineStatus, 'oui');
        assert.deepEqual(created.helpChannels, [
          { kind: 'telephone', label: 'Serveur vocal', value: '34 00', hours: 'Lun-ven 8h-20h' },
          { kind: 'courriel', label: 'Écrire à l’ANTS', value: 'contact@ants.gouv.fr', hours: '' },
        ]);
        const volume = plan.writes.find((w) => w.input.stableId === 'dgfip-nouvelle-demarche')!.input;
        assert.equal(volume.volumeTotal, 1250);
        assert.equal(volume.volumeOnline, null);
      });
    }

    test('applying writes every row in one go, then the same file changes nothing (idempotent)', async () => {
      const { table } = await readTableFile(toOds(SHEET), 'demarches.ods');
      const plan = await planImport(db, null, table);
      const result = await applyImport(db, plan.writes, { actor: null, fileName: 'demarches.ods' });
      assert.deepEqual(result, { created: 2, updated: 1 });
      const { rows } = await db.query(
        `SELECT p.title, p.volume_total, a.code FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE stable_id = 'ants-vehicule-collection'`,
      );
      assert.deepEqual(rows[0], { title: 'Carte grise « collection » pour véhicule ancien', volume_total: 42000, code: 'ants' });
      const log = await db.query(`SELECT action, count(*)::int AS n FROM audit_log GROUP BY action ORDER BY action`);
      assert.deepEqual(log.rows, [
        { action: 'catalog.import', n: 1 },
        { action: 'procedure.create', n: 2 },
        { action: 'procedure.update', n: 1 },
      ]);
      const again = await planImport(db, null, (await readTableFile(await toXlsx(SHEET), 'x.xlsx')).table);
      assert.deepEqual(again.counts, { create: 0, update: 0, unchanged: 3 });
    });

    test('columns absent from the file keep their values; an export-only column is ignored', async () => {
      const before = (await db.query(`SELECT title, help_channels, volume_online FROM procedures WHERE stable_id = 'ants-passeport'`))
        .rows[0];
      const { table } = await readTableFile(
        toCsv([
          ['identifiant', 'volume_total', 'Ministère', 'Commentaire interne'],
          ['ants-passeport', '4800000', 'interieur', 'à revoir'],
        ]),
        'p.csv',
      );
      const plan = await planImport(db, null, table);
      assert.deepEqual(plan.errors, []);
      assert.deepEqual(plan.ignoredColumns, ['Commentaire interne']);
      assert.deepEqual(plan.changes[0].fields, ['Volume annuel total']);
      await applyImport(db, plan.writes, { actor: null, fileName: 'p.csv' });
      const after = (
        await db.query(`SELECT title, help_channels, volume_online, volume_total FROM procedures WHERE stable_id = 'ants-passeport'`)
      ).rows[0];
      assert.deepEqual(after, { ...before, volume_total: 4800000 });
    });

    test('the dry run reports each error with its line and column, and nothing is written', async () => {
      const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures')).rows[0].n;
      const n = await count();
      const sheet: Sheet = [
        ['ID', 'Titre', 'Code administration', 'Volume', 'Volume en ligne', 'Adresse en ligne', 'Statut', 'Canaux d’aide'],
        ['ok-1', 'Valide', 'ants', '10', '5', '', 'oui', ''],
        ['', 'Sans identifiant', 'ants', '', '', '', 'oui', ''],
        ['Mauvais ID', 'Identifiant invalide', 'ants', '', '', '', 'oui', ''],
        ['ok-2', '', 'inconnue', 'douze', '', 'ftp://exemple', 'peut-être', 'pigeon | x | y | z'],
        ['ok-3', 'Volumes incohérents', 'ants', '10', '20', '', 'non', ''],
        ['ok-1', 'Doublon', 'ants', '', '', '', 'oui', ''],
      ];
      const { table } = await readTableFile(toCsv(sheet, ','), 'erreurs.csv');
      const plan = await planImport(db, null, table);
      const at = (line: number) => plan.errors.filter((e) => e.line === line).map((e) => `${e.column}: ${e.message}`);
      assert.deepEqual(at(2), []);
      assert.deepEqual(at(3), ['ID: L’identifiant est obligatoire.']);
      assert.match(at(4)[0], /^ID: L’identifiant stable ne peut contenir/);
      const five = at(5).join('\n');
      assert.match(five, /Titre: L’intitulé est obligatoire/);
      assert.match(five, /Code administration: Administration inconnue : « inconnue »/);
      assert.match(five, /Volume: Indiquez un nombre entier/);
      assert.match(five, /Adresse en ligne: Indiquez une adresse web complète/);
      assert.match(five, /Statut: Statut inconnu/);
      assert.match(five, /Canaux d’aide: Canal n° 1 : Type de canal inconnu/);
      assert.deepEqual(at(6), ['Volume en ligne: Le volume en ligne ne peut pas dépasser le volume total.']);
      assert.deepEqual(at(7), ['ID: L’identifiant « ok-1 » apparaît déjà ligne 2 : chaque démarche ne doit figurer qu’une fois.']);
      assert.equal(await count(), n);
    });

    test('a slug already held by another procedure is an error', async () => {
      const { table } = await readTableFile(
        toCsv([
          ['Identifiant', 'Intitulé', 'Administration', 'Slug'],
          ['ants-autre', 'Autre', 'ants', 'ants-passeport'],
        ]),
        's.csv',
      );
      const plan = await planImport(db, null, table);
      assert.deepEqual(
        plan.errors.map((e) => [e.line, e.column]),
        [[2, 'Slug']],
      );
      assert.match(plan.errors[0].message, /déjà celui de la démarche « ants-passeport »/);
    });

    test('a file without the identifier column is refused', async () => {
      await assert.rejects(
        readTableFile(toCsv([['Titre'], ['x']]), 'a.csv').then((r) => planImport(db, null, r.table)),
        /La colonne « Identifiant » est introuvable/,
      );
    });

    test('a preview applied after someone changed the same procedure is refused, nothing written', async () => {
      const { table } = await readTableFile(
        toCsv([
          ['Identifiant', 'Volume annuel total'],
          ['ants-passeport', '99999999'],
        ]),
        'p.csv',
      );
      const plan = await planImport(db, null, table);
      assert.equal(plan.writes.length, 1);
      await db.query(
        `UPDATE procedures SET title = 'Changé entre-temps', updated_at = now() + interval '1 second' WHERE stable_id = 'ants-passeport'`,
      );
      await assert.rejects(applyImport(db, plan.writes, { actor: null, fileName: 'p.csv' }), StalePreviewError);
      assert.equal(
        (await db.query(`SELECT volume_total FROM procedures WHERE stable_id = 'ants-passeport'`)).rows[0].volume_total,
        4800000,
      );
    });

    test('10 000 rows import in one batch', async () => {
      const rows: Sheet = [HEADERS];
      for (let i = 0; i < 10_000; i++) {
        rows.push([
          `masse-${i}`,
          `Démarche de masse n° ${i} avec un intitulé assez long pour peser`,
          i % 2 ? 'cnaf' : 'urssaf',
          'particuliers',
          1000 + i,
          500 + i,
          'oui',
          'non',
          'non',
          'telephone | Accueil | 39 39 | 9h-17h',
        ]);
      }
      const file = toCsv(rows);
      const { table } = await readTableFile(file, 'masse.csv');
      const plan = await planImport(db, null, table);
      assert.equal(plan.errors.length, 0);
      assert.equal(plan.counts.create, 10_000);
      const queriesBefore = db.queryCount;
      const result = await applyImport(db, plan.writes, { actor: null, fileName: 'masse.csv' });
      assert.deepEqual(result, { created: 10_000, updated: 0 });
      assert.ok(db.queryCount - queriesBefore < 10, `batched: ${db.queryCount - queriesBefore} queries`);
      assert.equal(
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM procedures WHERE stable_id LIKE 'masse-%'`)).rows[0].n,
        10_000,
      );
      assert.equal(
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'procedure.create'`)).rows[0].n,
        10_002,
      );
    });
  });
}
