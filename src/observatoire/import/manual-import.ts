import type { Queryable } from '../../kernel/db/db.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { canEditProcedure } from '../../kernel/auth/scope.ts';
import { procedurePlace, type ProcedureRow } from '../../catalog/index.ts';
import { checkManualValue, enterableIndicators, type ManualIndicator } from '../sources/manual-values.ts';
import { loadIndicators, type IndicatorDefinition } from '../rules/repository.ts';
import { isClearMarker, matchCode } from '../../catalog/index.ts';

export interface ImportChange {
  line: number;
  procedureId: number;
  stableId: string;
  indicator: ManualIndicator;
  value: string | null;
  /** The value stored now (null: none), for the preview's before → after. */
  before: string | null;
}

export interface ImportCheck {
  changes: ImportChange[];
  errors: { line: number; message: string }[];
  /** Rows with at least one error (one row may carry several messages). */
  errorRows: number;
  /** Cells that would leave the stored value as it is (empty, or the same value). */
  unchanged: number;
}

export const STABLE_ID_COLUMN = 'identifiant_stable';

/**
 * Checks every row of an import before anything is written: header `identifiant_stable` then any of the manual
 * indicators; each procedure must exist and be in the user's scope, each value valid. Headers, identifiers and
 * choices are matched without regard to case or accents. An empty cell leaves the stored value as it is; « (vide) »
 * clears it (the catalogue import's rule). Procedures and their stored values are looked up in two queries.
 */
export async function checkImport(db: Queryable, user: CurrentUser, rows: string[][]): Promise<ImportCheck> {
  const errors: ImportCheck['errors'] = [];
  const failed = (list: ImportCheck['errors']): ImportCheck => ({
    changes: [],
    errors: list,
    errorRows: new Set(list.map((e) => e.line)).size,
    unchanged: 0,
  });
  if (rows.length < 2)
    return failed([{ line: 1, message: 'Le fichier doit contenir une ligne d’en-tête et au moins une ligne de valeurs.' }]);
  const header = rows[0].map((h) => matchCode(h).replace(/[\s-]+/g, '_'));
  const idIndex = header.indexOf(STABLE_ID_COLUMN);
  if (idIndex < 0) return failed([{ line: 1, message: `Colonne « ${STABLE_ID_COLUMN} » absente de l’en-tête.` }]);
  // Every indicator whose source is not live can be imported (manual ones, and those not measured yet).
  const enterable = new Map(enterableIndicators(await loadIndicators(db)).map((d) => [d.slug, d] as [string, IndicatorDefinition]));
  const possible = [...enterable.keys()].join(', ');
  const columns: { index: number; indicator: ManualIndicator; unit: IndicatorDefinition['unit'] }[] = [];
  header.forEach((h, index) => {
    if (index === idIndex || h === '') return;
    const def = enterable.get(h);
    if (def) columns.push({ index, indicator: def.slug, unit: def.unit });
    else errors.push({ line: 1, message: `Colonne inconnue « ${rows[0][index].trim()} » : colonnes possibles ${possible}.` });
  });
  if (columns.length === 0) errors.push({ line: 1, message: `Aucune colonne d’indicateur : colonnes possibles ${possible}.` });
  if (errors.length) return failed(errors);

  const ids = [
    ...new Set(
      rows
        .slice(1)
        .map((r) => matchCode(r[idIndex] ?? ''))
        .filter(Boolean),
    ),
  ];
  const { rows: found } = await db.query<Pick<ProcedureRow, 'id' | 'stable_id' | 'administration_id' | 'ministry_id'>>(
    `SELECT p.id, p.stable_id, p.administration_id, a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id
      WHERE lower(p.stable_id) = ANY($1::text[]) AND p.archived_at IS NULL`,
    [ids],
  );
  const byStableId = new Map(found.map((r) => [matchCode(r.stable_id), r]));
  const { rows: stored } = await db.query<{ procedure_id: number; indicator: string; value: string }>(
    'SELECT procedure_id, indicator, value FROM obs_live_values WHERE procedure_id = ANY($1::bigint[])',
    [found.map((r) => r.id)],
  );
  const current = new Map(stored.map((r) => [`${r.procedure_id}/${r.indicator}`, r.value]));
  let unchanged = 0;
  const seen = new Set<string>();
  const changes: ImportChange[] = [];
  for (const [i, row] of rows.slice(1).entries()) {
    const line = i + 2;
    const stableId = (row[idIndex] ?? '').trim();
    if (!stableId) {
      errors.push({ line, message: 'Identifiant stable manquant.' });
      continue;
    }
    if (seen.has(matchCode(stableId))) {
      errors.push({ line, message: `La démarche ${stableId} apparaît deux fois dans le fichier.` });
      continue;
    }
    seen.add(matchCode(stableId));
    const p = byStableId.get(matchCode(stableId));
    if (!p) {
      errors.push({ line, message: `Aucune démarche n’a l’identifiant ${stableId}.` });
      continue;
    }
    if (!canEditProcedure(user, procedurePlace(p))) {
      errors.push({ line, message: `Vous n’avez pas le droit de modifier la démarche ${stableId}.` });
      continue;
    }
    for (const c of columns) {
      const text = (row[c.index] ?? '').trim();
      const before = current.get(`${p.id}/${c.indicator}`) ?? null;
      if (text === '') {
        unchanged++;
        continue;
      }
      const checked = isClearMarker(text) ? ({ ok: true, value: null } as const) : checkManualValue(c.indicator, text, c.unit);
      if (!checked.ok) errors.push({ line, message: `${c.indicator} : ${checked.error}` });
      else if (checked.value === before) unchanged++;
      else changes.push({ line, procedureId: Number(p.id), stableId: p.stable_id, indicator: c.indicator, value: checked.value, before });
    }
  }
  return { changes, errors, errorRows: new Set(errors.map((e) => e.line)).size, unchanged };
}
