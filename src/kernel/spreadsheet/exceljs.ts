import type ExcelJS from 'exceljs';

/**
 * ExcelJS adds about 30 MB to the process memory: it is loaded on the first XLSX import or export, not at start,
 * so that an idle server does not carry it.
 */
export async function loadExcelJS(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
