import type { CellValue } from '../editions/compute.ts';
import type { Edition } from '../editions/drafts.ts';
import { toNumber } from '../rules/evaluate.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import type { TableRow } from '../table/query.ts';

/** Raw values as numbers when the indicator is numeric and the value is a number; text otherwise (gray states). */
export function rawOut(def: IndicatorDefinition | undefined, raw: string | number | null): number | string | null {
  if (raw === null) return null;
  if (def && def.unit !== 'category') {
    const n = toNumber(raw);
    if (n !== null) return n;
  }
  return String(raw);
}

export function cellOut(def: IndicatorDefinition | undefined, cell: CellValue | undefined) {
  if (!cell) return null;
  return {
    value: rawOut(def, cell.raw),
    label: cell.label,
    colour: cell.colour,
    goalReached: cell.goal,
    enteredByHand: cell.enteredByHand === true,
  };
}

export function editionOut(e: Edition) {
  return {
    id: e.id,
    name: e.name,
    period: e.period,
    feedbackWindow: { start: e.windowStart, end: e.windowEnd },
    ruleSetVersion: e.ruleVersion,
    publishedAt: e.publishedAt ? new Date(e.publishedAt).toISOString() : null,
  };
}

export function rowOut(defs: IndicatorDefinition[], row: TableRow) {
  const p = row.procedure;
  return {
    stableId: p.stableId,
    title: p.title,
    url: p.url,
    ministry: { id: p.ministryId, name: p.ministryName },
    administration: { id: p.administrationId, name: p.administrationName },
    userCategories: p.userCategories,
    indicators: Object.fromEntries(defs.map((d) => [d.slug, cellOut(d, row.values[d.slug])])),
  };
}
