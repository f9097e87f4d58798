import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BusyError, SpreadsheetReaders, type ReaderOptions } from './pool.ts';
import { READERS } from './limits.ts';
import { readTable } from './read-file.ts';
import { FileError } from './table.ts';
import { toCsv, toOds } from './fixtures.ts';
import { odsRepeatedCells, xlsxInflationBomb } from './testing-hostile.ts';

const SHEET = [
  ['Identifiant', 'Intitulé'],
  ['ants-x', 'Carte grise « collection »'],
];

describe('spreadsheet reading threads', () => {
  const pools: SpreadsheetReaders[] = [];
  const pool = (options: Partial<ReaderOptions> = {}) => {
    const p = new SpreadsheetReaders({ ...READERS, ...options });
    pools.push(p);
    return p;
  };
  after(async () => Promise.all(pools.map((p) => p.close())));

  test('a file read in a thread gives the same table as in the calling thread; the thread is reused', async () => {
    const readers = pool();
    const ods = toOds(SHEET);
    assert.deepEqual(await readers.read(ods, 'a.ods'), readTable(ods, 'a.ods'));
    assert.deepEqual((await readers.read(toCsv(SHEET), 'a.csv')).table.rows, [
      { line: 2, cells: ['ants-x', 'Carte grise « collection »'] },
    ]);
  });

  test('a refused file comes back as a FileError with its French message, and the thread carries on', async () => {
    const readers = pool({ concurrency: 1 });
    await assert.rejects(
      readers.read(odsRepeatedCells(), 'hostile.ods'),
      (e: unknown) => e instanceof FileError && /dépasse 200 colonnes/.test(e.message),
    );
    assert.equal((await readers.read(toCsv(SHEET), 'a.csv')).table.headers[0], 'Identifiant');
  });

  test('past the concurrency and the queue, an upload is refused at once with « serveur occupé »', async () => {
    const readers = pool({ concurrency: 1, queue: 1 });
    const bomb = xlsxInflationBomb();
    const first = readers.read(bomb, 'a.xlsx'); // runs (seconds: inflating up to the limit)
    const second = readers.read(bomb, 'b.xlsx'); // waits
    await assert.rejects(readers.read(bomb, 'c.xlsx'), (e: unknown) => e instanceof BusyError && /serveur est occupé/.test(e.message));
    await assert.rejects(first, /trop volumineux une fois décompressé/);
    await assert.rejects(second, /trop volumineux une fois décompressé/);
  });

  test('a file that takes too long stops its thread with a clear message; the next file gets a fresh one', async () => {
    const readers = pool({ concurrency: 1, timeoutMs: 1000 });
    await assert.rejects(
      readers.read(xlsxInflationBomb(), 'a.xlsx'),
      (e: unknown) => e instanceof FileError && /a dépassé 1 seconde :/.test(e.message),
    );
    assert.equal((await readers.read(toCsv(SHEET), 'a.csv')).table.rows.length, 1);
  });

  test('a file that needs more memory than the thread has stops that thread, not the process', async () => {
    const readers = pool({ concurrency: 1, heapMb: 16 });
    // 5 000 rows × 199 distinct cells: a million strings, far more than 16 MB of heap.
    const rows = [Array.from({ length: 199 }, (_, c) => `colonne ${c}`)];
    for (let r = 0; r < 5000; r++) rows.push(Array.from({ length: 199 }, (_, c) => `${r}-${c}`));
    await assert.rejects(
      readers.read(toCsv(rows), 'gros.csv'),
      (e: unknown) => e instanceof FileError && /trop de mémoire/.test(e.message),
    );
    const ok = pool({ concurrency: 1 });
    assert.equal((await ok.read(toCsv(SHEET), 'a.csv')).table.rows.length, 1);
  });
});
