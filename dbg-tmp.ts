import { readTable } from './src/kernel/spreadsheet/read-file.ts';
import { xlsxInflationBomb } from './src/kernel/spreadsheet/testing-hostile.ts';
const bomb = xlsxInflationBomb();
const t = Date.now();
try { readTable(bomb, 'a.xlsx'); } catch (e) { }
console.log('full', Date.now() - t);
