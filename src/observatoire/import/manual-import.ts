import type { Queryable } from '../../kernel/db/db.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { canEditProcedure } from '../../kernel/auth/scope.ts';
import { procedurePlace, type ProcedureRow } from '../../catalog/queries/procedures.ts';
import { MANUAL_INDICATORS, checkManualValue, isManualIndicator, type ManualIndicator } from '../sources/manual-values.ts';

export interface ImportChange {
  line: number;
  procedureId: number;
  stableId: string;
  indicator: ManualIndicator;
  value: string | null;
}

export interface ImportCheck {
  changes: ImportChange[];
  errors: { line: number; message: string }[];
}

export const STABLE_ID_COLUMN = 'identifiant_stable';

/**
 * Checks every row of an import before anything is written: header `identifiant_stable` then any of the manual
 * indicators; each procedure must exist and be in the user's scope, each value valid. An empty cell clears the value.
 * Procedures are looked up in one query.
 */
export async function checkImport(db: Queryable, user: CurrentUser, rows: string[][]): Promise<ImportCheck> {
  const errors: ImportCheck['errors'] = [];
  if (rows.length < 2) return { changes: [], errors: [{ line: 1, message: 'Le fichier doit contenir une ligne d’en-tête et au moins une ligne de valeurs.' }] };
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const idIndex = header.indexOf(STABLE_ID_COLUMN);
  if (idIndex < 0) return { changes: [], errors: [{ line: 1, message: `Colonne « ${STABLE_ID_COLUMN} » absente de l’en-tête.` }] };
  const columns: { index: number; indicator: ManualIndicator }[] = [];
  header.forEach((h, index) => {
    if (index === idIndex || h === '') return;
    if (isManualIndicator(h)) columns.push({ index, indicator: h });
    else errors.push({ line: 1, message: `Colonne inconnue « ${h} » : colonnes possibles ${MANUAL_INDICATORS.join(', ')}.` });
  });
  if (columns.length === 0) errors.push({ line: 1, message: `Aucune colonne d’indicateur : colonnes possibles ${MANUAL_INDICATORS.join(', ')}.` });
  if (errors.length) return { changes: [], errors };

  const ids = [...new Set(rows.slice(1).map((r) => (r[idIndex] ?? '').trim()).filter(Boolean))];
  const { rows: found } = await db.query<Pick<ProcedureRow, 'id' | 'stable_id' | 'administration_id' | 'ministry_id'>>(
    `SELECT p.id, p.stable_id, p.administration_id, a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id
      WHERE p.stable_id = ANY($1::text[]) AND p.archived_at IS NULL`,
    [ids],
  );
  const byStableId = new Map(found.map((r) => [r.stable_id, r]));
  const seen = new Set<string>();
  const changes: ImportChange[] = [];
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const stableId = (row[idIndex] ?? '').trim();
    if (!stableId) return errors.push({ line, message: 'Identifiant stable manquant.' });
    if (seen.has(stableId)) return errors.push({ line, message: `La démarche ${stableId} apparaît deux fois dans le fichier.` });
    seen.add(stableId);
    const p = byStableId.get(stableId);
    if (!p) return errors.push({ line, message: `Aucune démarche n’a l’identifiant ${stableId}.` });
    if (!canEditProcedure(user, procedurePlace(p))) {
      return errors.push({ line, message: `Vous n’avez pas le droit de modifier la démarche ${stableId}.` });
    }
    for (const c of columns) {
      const checked = checkManualValue(c.indicator, row[c.index] ?? '');
      if (!checked.ok) errors.push({ line, message: `${c.indicator} : ${checked.error}` });
      else changes.push({ line, procedureId: Number(p.id), stableId, indicator: c.indicator, value: checked.value });
    }
  });
  return { changes, errors };
}
