import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readTable, readTableFile } from './read-file.ts';
import { LIMITS } from './limits.ts';
import { FileError } from './table.ts';
import { toCsv, toOds, toXlsx, type Sheet } from './fixtures.ts';

const SHEET: Sheet = [
  ['Identifiant', 'Intitulé', 'Volume'],
  ['ants-x', 'Carte grise « collection »\npour véhicule ancien', 42000],
  ['', '', ''],
  ['dgfip-y', 'Déclaration d’un bien étranger', ''],
];

describe('spreadsheet reader', () => {
  // A row's line is where it stands in the file: in a CSV the multi-line cell takes two lines, in a workbook one row.
  for (const [format, make, lastLine] of [
    ['csv', async () => toCsv(SHEET), 5],
    ['xlsx', () => toXlsx(SHEET), 4],
    ['ods', async () => toOds(SHEET), 4],
  ] as const) {
    test(`${format}: format sniffed from the bytes, header row, data rows with their line, blank rows skipped`, async () => {
      const { format: found, table } = await readTableFile(await make(), 'sans-extension');
      assert.equal(found, format);
      assert.deepEqual(table.headers, ['Identifiant', 'Intitulé', 'Volume']);
      assert.deepEqual(
        table.rows.map((r) => [r.line, r.cells[0], r.cells[1], r.cells[2] ?? '']),
        [
          [2, 'ants-x', 'Carte grise « collection »\npour véhicule ancien', '42000'],
          [lastLine, 'dgfip-y', 'Déclaration d’un bien étranger', ''],
        ],
      );
    });
  }

  test('a CSV that is not UTF-8 is refused with a clear message', async () => {
    const latin1 = Buffer.from('Identifiant;Intitulé\nants-x;Démarche\n', 'latin1');
    await assert.rejects(
      readTableFile(latin1, 'windows.csv'),
      (e: unknown) => e instanceof FileError && /n’est pas encodé en UTF-8/.test(e.message),
    );
  });

  test('a non-spreadsheet, an old .xls or an empty file is refused', async () => {
    await assert.rejects(readTableFile(Buffer.from('PK\u0003\u0004nimportequoi'), 'a.xlsx'), FileError);
    await assert.rejects(readTableFile(Buffer.from('x'), 'vieux.xls'), /ancien format Excel/);
    await assert.rejects(readTableFile(Buffer.alloc(0), 'a.csv'), /Le fichier est vide/);
  });

  test('a workbook whose parts inflate beyond the limit is refused, counting the bytes really inflated', async () => {
    for (const [name, bytes] of [
      ['a.ods', toOds(SHEET)],
      ['a.xlsx', await toXlsx(SHEET)],
    ] as const) {
      assert.doesNotThrow(() => readTable(bytes, name));
      assert.throws(() => readTable(bytes, name, { ...LIMITS, inflatedBytes: 1000 }), /trop volumineux une fois décompressé/);
    }
  });
});
