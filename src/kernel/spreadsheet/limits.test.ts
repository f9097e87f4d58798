import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readTable } from './read-file.ts';
import { LIMITS, columnIndex, columnLetters } from './limits.ts';
import { FileError } from './table.ts';
import { toCsv, toOds, toXlsx } from './fixtures.ts';
import {
  csvDelimiterFlood,
  inflationBombSize,
  odsRepeatedCells,
  odsWithRows,
  xlsxFarRightColumn,
  xlsxInflationBomb,
  xlsxWithSheet,
} from './testing-hostile.ts';

// Numbers are written the French way, with narrow no-break spaces (U+202F): compared here with plain spaces.
const refused = (pattern: RegExp) => (e: unknown) => e instanceof FileError && pattern.test(e.message.replace(/\u202f/g, ' '));
const MB = 1024 * 1024;

describe('spreadsheet limits, checked while reading', () => {
  test('column letters both ways', () => {
    assert.deepEqual([0, 25, 26, 701, 702, 16_383].map(columnLetters), ['A', 'Z', 'AA', 'ZZ', 'AAA', 'XFD']);
    assert.deepEqual(['A1', 'z9', 'AA3', 'XFD4000', '12'].map(columnIndex), [0, 25, 26, 16_383, -1]);
  });

  test('issue 10: a 50 KB ODS row of 140 000 cells each repeated 1 000 times is refused at the column limit', () => {
    const ods = odsRepeatedCells();
    assert.ok(ods.length < 100 * 1024, `${ods.length} bytes`);
    const before = process.memoryUsage().rss;
    assert.throws(() => readTable(ods, 'valeurs.ods'), refused(/dépasse 200 colonnes : la ligne 1 a une valeur en colonne GS/));
    // 140 million cells were never built: the process grew by far less than the 1 GB they would take.
    assert.ok(process.memoryUsage().rss - before < 200 * MB);
  });

  test('issue 10: a 20 KB XLSX whose 4 000 rows hold one cell each in column XFD is refused at its first row', () => {
    const xlsx = xlsxFarRightColumn();
    assert.ok(xlsx.length < 40 * 1024, `${xlsx.length} bytes`);
    assert.throws(
      () => readTable(xlsx, 'valeurs.xlsx'),
      refused(/dépasse 200 colonnes : la ligne 1 a une valeur en colonne XFD \(la 16 384ᵉ\)/),
    );
  });

  test('issue 10: 5 MB of « ; » is refused before the CSV parser builds millions of empty fields', () => {
    assert.throws(() => readTable(csvDelimiterFlood(), 'valeurs.csv'), refused(/La ligne 1 du fichier a plus de 16 384 cellules/));
    // A delimiter inside a quoted cell is text, not a field.
    const quoted = Buffer.from(`a;b\n1;"${';'.repeat(20_000)}"\n`);
    assert.equal(readTable(quoted, 'q.csv').table.rows[0].cells[1].length, 20_000);
  });

  test('19 MB of empty lines is refused in one pass instead of minutes of parsing; line breaks inside quotes are text', () => {
    assert.throws(
      () => readTable(Buffer.alloc(19 * MB, '\n'), 'vide.csv'),
      refused(/Le fichier a plus de 100 000 lignes, vides comprises/),
    );
    assert.throws(() => readTable(Buffer.from('a\r\n'.repeat(100_001)), 'crlf.csv'), refused(/plus de 100 000 lignes/));
    assert.equal(readTable(Buffer.from('a\r\n'.repeat(20_000)), 'crlf.csv').table.rows.length, 19_999);
    const cell = `"x${'\n'.repeat(30_000)}"`;
    const quoted = Buffer.from(`a;b;c;d\n${[cell, cell, cell, cell].join(';')}\n`);
    assert.deepEqual(
      readTable(quoted, 'q.csv').table.rows[0].cells.map((c) => c.length),
      [30_001, 30_001, 30_001, 30_001],
    );
  });

  test('issue 10: an XLSX sheet declaring 1 000 bytes that inflates to 1.5 GB is stopped at 50 MB really inflated', () => {
    const bomb = xlsxInflationBomb();
    assert.ok(bomb.length < 3 * MB, `${bomb.length} bytes`);
    assert.ok(inflationBombSize() > 1.5e9);
    const before = process.memoryUsage().rss;
    assert.throws(() => readTable(bomb, 'valeurs.xlsx'), refused(/trop volumineux une fois décompressé \(plus de 50 Mo\)/));
    assert.ok(process.memoryUsage().rss - before < 300 * MB);
    // The same sheet, small enough, is read (its rows are all empty).
    assert.throws(() => readTable(xlsxInflationBomb(10), 'petit.xlsx'), refused(/Le fichier est vide/));
  });

  test('a repeated non-empty ODS row counts against the row limit before being expanded', () => {
    const row =
      '<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>';
    assert.throws(() => readTable(odsWithRows(row), 'a.ods'), refused(/dépasse 20 000 lignes de données/));
    // Blank filler rows and cells (what LibreOffice writes up to row 1 048 576) cost nothing and do not count.
    assert.equal(
      readTable(
        toOds([
          ['a', 'b'],
          ['1', '2'],
        ]),
        'a.ods',
      ).table.rows.length,
      1,
    );
  });

  test('rows, cells and characters per cell: each limit with its own message, in every format', async () => {
    const small = { ...LIMITS, rows: 2, cells: 7, columns: 3 };
    const sheet = [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ];
    for (const [name, bytes] of [
      ['t.csv', toCsv(sheet)],
      ['t.ods', toOds(sheet)],
      ['t.xlsx', await toXlsx(sheet)],
    ] as const) {
      assert.throws(() => readTable(bytes, name, small), refused(/dépasse 2 lignes de données/), name);
      assert.throws(() => readTable(bytes, name, { ...small, rows: 10, cells: 5 }), refused(/dépasse 5 cellules/), name);
      assert.equal(readTable(bytes, name, { ...small, rows: 3, cells: 8 }).table.rows.length, 3, name);
      const wide = [
        ['a', 'b', 'c', 'd'],
        ['1', '2', '3', '4'],
      ];
      const wideBytes = name.endsWith('csv') ? toCsv(wide) : name.endsWith('ods') ? toOds(wide) : await toXlsx(wide);
      assert.throws(() => readTable(wideBytes, name, small), refused(/dépasse 3 colonnes : la ligne 1 a une valeur en colonne D/), name);
      const long = [['a'], ['x'.repeat(LIMITS.cellChars + 1)]];
      const longBytes = name.endsWith('csv') ? toCsv(long) : name.endsWith('ods') ? toOds(long) : await toXlsx(long);
      assert.throws(() => readTable(longBytes, name), refused(/dépasse 32 767 caractères/), name);
    }
  });

  test('XLSX: cells are placed by their reference, dates by their style, without ExcelJS', async () => {
    const sheet = xlsxWithSheet(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="C1" t="inlineStr"><is><r><t>va</t></r><r><t>leur</t></r></is></c></row>
<row r="3"><c r="C3"><v>0.5</v></c><c r="A3" t="inlineStr"><is><t>x</t></is></c><c r="B3" t="b"><v>1</v></c></row>
</sheetData></worksheet>`);
    const { table } = readTable(sheet, 'a.xlsx');
    assert.deepEqual(table.headers, ['id', '', 'valeur']);
    assert.deepEqual(table.rows, [{ line: 3, cells: ['x', 'true', '0.5'] }]);
  });

  test('an archive that is not a zip, or is cut short, is refused with a clear message', async () => {
    const xlsx = await toXlsx([['a'], ['1']]);
    assert.throws(() => readTable(xlsx.subarray(0, xlsx.length - 30), 'a.xlsx'), refused(/illisible/));
    assert.throws(() => readTable(Buffer.from('PK\u0003\u0004 rien'), 'a.ods'), refused(/illisible/));
  });
});
