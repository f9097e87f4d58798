import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { seedCatalogDemo } from '../demo/seed.ts';
import { readTableFile } from '../../kernel/spreadsheet/read-file.ts';
import { toCsv, type Sheet } from '../../kernel/spreadsheet/fixtures.ts';
import { planImport } from './plan.ts';
import { applyImport } from './apply.ts';

/** Issue 11, « Data lost without a word »: an empty cell erased help channels, and the preview did not say what changed. */
for (const target of TEST_TARGETS) {
  describe(`catalogue import: empty cells, clear marker, codes, error counts (${target})`, () => {
    let db: TestDb;
    const plan = async (sheet: Sheet) => planImport(db, null, (await readTableFile(toCsv(sheet), 'f.csv')).table);
    const row = async (id: string) =>
      (
        await db.query(
          `SELECT p.help_channels, p.description, p.volume_total, a.code FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE stable_id = $1`,
          [id],
        )
      ).rows[0];

    before(async () => {
      db = await openTestDb(target);
      await seedCatalogDemo(db);
      const created = await plan([
        ['Identifiant', 'Intitulé', 'Administration', 'Description', 'Volume annuel total', 'Canaux d’aide'],
        ['essai-canaux', 'Démarche d’essai', 'ants', 'Texte de départ', '1000', 'telephone | Accueil | 34 00 | 9h-17h'],
      ]);
      assert.deepEqual(created.errors, []);
      await applyImport(db, created.writes, { actor: null, fileName: 'f.csv' });
    });
    after(async () => db.destroy());

    test('an empty « Canaux d’aide » cell leaves the channels as they are', async () => {
      const p = await plan([
        ['Identifiant', 'Volume annuel total', 'Canaux d’aide', 'Description'],
        ['essai-canaux', '2000', '', ''],
      ]);
      assert.deepEqual(p.errors, []);
      assert.deepEqual(p.counts, { create: 0, update: 1, unchanged: 0 });
      assert.deepEqual(p.changes[0].fields, ['Volume annuel total']);
      assert.deepEqual(p.changes[0].diffs, [{ field: 'Volume annuel total', before: '1000', after: '2000' }]);
      await applyImport(db, p.writes, { actor: null, fileName: 'f.csv' });
      const after = await row('essai-canaux');
      assert.deepEqual(after.help_channels, [{ kind: 'telephone', label: 'Accueil', value: '34 00', hours: '9h-17h' }]);
      assert.equal(after.description, 'Texte de départ');
      assert.equal(after.volume_total, 2000);
    });

    test('« (vide) » clears a value, and the preview shows before → after for each changed cell', async () => {
      const p = await plan([
        ['Identifiant', 'Canaux d’aide', 'Description', 'Volume annuel total'],
        ['essai-canaux', '(vide)', '(VIDE)', ''],
      ]);
      assert.deepEqual(p.errors, []);
      assert.deepEqual(p.changes[0].diffs, [
        { field: 'Description', before: 'Texte de départ', after: '(vide)' },
        { field: 'Canaux d’aide', before: 'telephone | Accueil | 34 00 | 9h-17h', after: '(vide)' },
      ]);
      await applyImport(db, p.writes, { actor: null, fileName: 'f.csv' });
      const after = await row('essai-canaux');
      assert.deepEqual(after.help_channels, []);
      assert.equal(after.description, '');
      assert.equal(after.volume_total, 2000);
    });

    test('administration codes are matched whatever the case and accents (« ANTS » is « ants »)', async () => {
      const p = await plan([
        ['Identifiant', 'Intitulé', 'Administration', 'Statut en ligne', 'Canaux d’aide'],
        ['essai-majuscules', 'Démarche en majuscules', 'ANTS', 'OUI', 'TÉLÉPHONE | Accueil | 34 00 | '],
        ['essai-canaux', 'Démarche d’essai', ' DGFiP ', '', ''],
      ]);
      assert.deepEqual(p.errors, []);
      assert.deepEqual(p.counts, { create: 1, update: 1, unchanged: 0 });
      assert.deepEqual(p.changes[1].diffs, [{ field: 'Administration', before: 'ants', after: 'dgfip' }]);
      await applyImport(db, p.writes, { actor: null, fileName: 'f.csv' });
      assert.equal((await row('essai-majuscules')).code, 'ants');
      assert.deepEqual((await row('essai-majuscules')).help_channels, [{ kind: 'telephone', label: 'Accueil', value: '34 00', hours: '' }]);
    });

    test('errors are counted per row, and never name a column the file does not have', async () => {
      // Line 2: three messages (volume, status, channel). Line 3: a new procedure without title nor administration columns.
      const p = await plan([
        ['Identifiant', 'Volume annuel total', 'Statut en ligne', 'Canaux d’aide'],
        ['essai-canaux', 'douze', 'peut-être', 'pigeon | x | y | z'],
        ['essai-nouvelle', '10', 'oui', ''],
      ]);
      assert.equal(p.errors.length, 5);
      assert.equal(p.errorRows, 2);
      const columnsInFile = new Set(['Identifiant', 'Volume annuel total', 'Statut en ligne', 'Canaux d’aide', '']);
      for (const e of p.errors) assert.ok(columnsInFile.has(e.column), `${e.column}: ${e.message}`);
      const line3 = p.errors.filter((e) => e.line === 3);
      assert.deepEqual(
        line3.map((e) => e.column),
        ['', ''],
      );
      assert.match(line3[0].message, /L’intitulé est obligatoire\. Le fichier n’a pas de colonne « Intitulé »/);
      assert.match(line3[1].message, /L’administration est obligatoire .* Le fichier n’a pas de colonne « Administration »/);
    });
  });
}
