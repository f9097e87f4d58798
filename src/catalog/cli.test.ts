import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../test/helpers/db.ts';
import { seedCatalogDemo } from './demo/seed.ts';
import { exportCatalog, importCatalogFile } from './cli-commands.ts';
import { toCsv, toOds } from '../kernel/spreadsheet/fixtures.ts';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) } };
}

test('vigie import-catalog --help and export-catalog --help describe their options', () => {
  for (const [command, expected] of [
    ['import-catalog', /--dry-run/],
    ['export-catalog', /--format csv\|xlsx/],
  ] as const) {
    const res = spawnSync(process.execPath, ['bin/vigie.js', command, '--help'], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, expected);
  }
});

for (const target of TEST_TARGETS) {
  describe(`catalogue command line (${target})`, () => {
    let db: TestDb;
    let dir: string;
    before(async () => {
      db = await openTestDb(target);
      await seedCatalogDemo(db);
      dir = mkdtempSync(path.join(tmpdir(), 'vigie-catalogue-'));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await db.destroy();
    });

    const file = (name: string, content: Buffer) => {
      const full = path.join(dir, name);
      writeFileSync(full, content);
      return full;
    };
    const exists = async (stableId: string) =>
      (await db.query('SELECT 1 FROM procedures WHERE stable_id = $1', [stableId])).rows.length === 1;

    test('--dry-run prints the changes and writes nothing; without it the import is applied', async () => {
      const ods = file(
        'demarches.ods',
        toOds([
          ['Identifiant', 'Intitulé', 'Administration'],
          ['crous-cli', 'Démarche du terminal', 'crous'],
        ]),
      );
      const dry = capture();
      assert.equal(await importCatalogFile(db, ods, { dryRun: true }, dry.out), 0);
      assert.ok(
        dry.lines.some((l) => /ligne 2 : création de crous-cli/.test(l)),
        dry.lines.join('\n'),
      );
      assert.ok(dry.lines.some((l) => /rien n’a été enregistré/.test(l)));
      assert.equal(await exists('crous-cli'), false);
      const real = capture();
      assert.equal(await importCatalogFile(db, ods, { dryRun: false }, real.out), 0);
      assert.ok(real.lines.some((l) => /1 démarche\(s\) créée\(s\), 0 modifiée\(s\)/.test(l)));
      assert.equal(await exists('crous-cli'), true);
    });

    test('errors are printed with their line and column and the exit code is 1', async () => {
      const csv = file(
        'erreurs.csv',
        toCsv([
          ['Identifiant', 'Intitulé', 'Administration'],
          ['crous-a', 'A', 'crous'],
          ['crous-a', 'B', 'nulle-part'],
        ]),
      );
      const run = capture();
      assert.equal(await importCatalogFile(db, csv, { dryRun: false }, run.out), 1);
      assert.ok(
        run.errors.some((l) => l.startsWith('Ligne 3, colonne « Identifiant » : L’identifiant « crous-a » apparaît déjà ligne 2')),
        run.errors.join('\n'),
      );
      assert.equal(await exists('crous-a'), false);
      const missing = capture();
      assert.equal(await importCatalogFile(db, path.join(dir, 'absent.csv'), { dryRun: false }, missing.out), 2);
    });

    test('export-catalog writes a CSV file that includes archived procedures, and XLSX to stdout', async () => {
      await db.query(`UPDATE procedures SET archived_at = now() WHERE stable_id = 'ants-passeport'`);
      const output = path.join(dir, 'catalogue.csv');
      await exportCatalog(db, { format: 'csv', output }, new PassThrough());
      const text = readFileSync(output, 'utf8');
      assert.match(text, /^\uFEFFIdentifiant;Intitulé;/);
      assert.match(text, /\nants-passeport;/);
      assert.match(text, /\ncrous-cli;/);
      const stdout = new PassThrough();
      const chunks: Buffer[] = [];
      stdout.on('data', (c) => chunks.push(c));
      await exportCatalog(db, { format: 'xlsx' }, stdout);
      assert.equal(Buffer.concat(chunks).subarray(0, 2).toString(), 'PK');
    });
  });
}
