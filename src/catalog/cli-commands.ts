import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Db } from '../kernel/db/db.ts';
import { readTableFile } from '../kernel/spreadsheet/read-file.ts';
import { FileError } from '../kernel/spreadsheet/table.ts';
import { planImport } from './import/plan.ts';
import { applyImport, StalePreviewError } from './import/apply.ts';
import { parseFilters } from './filters.ts';
import { exportBatches } from './export/rows.ts';
import { csvStream, xlsxStream } from './export/write.ts';

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** `vigie import-catalog FILE [--dry-run]`: the same dry run as the web page, printed; then the upsert unless --dry-run. */
export async function importCatalogFile(db: Db, file: string, options: { dryRun: boolean }, out: Output): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    out.error(`Fichier introuvable ou illisible : ${file}`);
    return 2;
  }
  try {
    const { format, table } = await readTableFile(bytes, path.basename(file));
    const plan = await planImport(db, null, table);
    out.log(`${path.basename(file)} (${format.toUpperCase()}) : ${plan.rows} ligne(s) lue(s).`);
    out.log(
      `À créer : ${plan.counts.create} · à modifier : ${plan.counts.update} · inchangées : ${plan.counts.unchanged} · lignes en erreur : ${plan.errorRows}`,
    );
    if (plan.ignoredColumns.length) out.log(`Colonnes ignorées : ${plan.ignoredColumns.join(', ')}`);
    for (const change of plan.changes) {
      if (change.action === 'create') out.log(`  ligne ${change.line} : création de ${change.stableId}`);
      if (change.action === 'update')
        out.log(
          `  ligne ${change.line} : modification de ${change.stableId} (${(change.diffs ?? []).map((d) => `${d.field} : ${d.before} → ${d.after}`).join(' ; ')})`,
        );
    }
    if (plan.errors.length) {
      for (const e of plan.errors)
        out.error(e.column ? `Ligne ${e.line}, colonne « ${e.column} » : ${e.message}` : `Ligne ${e.line} : ${e.message}`);
      out.error('Le fichier contient des erreurs : rien n’a été importé.');
      return 1;
    }
    if (options.dryRun) {
      out.log('Simulation (--dry-run) : rien n’a été enregistré.');
      return 0;
    }
    const result = await applyImport(db, plan.writes, { actor: null, fileName: path.basename(file) });
    out.log(`Import terminé : ${result.created} démarche(s) créée(s), ${result.updated} modifiée(s).`);
    return 0;
  } catch (error) {
    if (error instanceof FileError || error instanceof StalePreviewError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}

/** `vigie export-catalog`: the whole catalogue (archived included) as CSV or XLSX, to a file or the standard output. */
export async function exportCatalog(db: Db, options: { format: 'csv' | 'xlsx'; output?: string }, stdout: Writable): Promise<void> {
  const batches = exportBatches(db, null, parseFilters({ archives: 'inclus' }));
  const stream = options.format === 'csv' ? csvStream(batches) : xlsxStream(batches);
  if (options.output) await pipeline(stream, createWriteStream(options.output));
  else {
    try {
      await pipeline(stream, stdout, { end: false });
    } catch (error) {
      // The reader went away (`vigie export-catalog | head`): not an error of ours.
      if ((error as { code?: string }).code !== 'EPIPE') throw error;
    }
  }
}
