import { withEnteredByHand, type IndicatorSource } from '../../observatoire/index.ts';
import type { RawValue } from '../../observatoire/index.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { handicapValues } from './queries.ts';

/**
 * The observatoire's « Prise en compte du handicap » (shared/spec/rgaa.md): for a procedure with a published
 * declaration, the rate of that declaration if it is valid, shows the rate, a contact and a sample, and comes from an
 * audit under 3 years old; otherwise 0, the « Non » level. A procedure without any published declaration keeps the
 * value entered by hand (back-office or import), named in `enteredByHand` (shown « saisie manuelle »); without one either, « Non » (no valid declaration).
 * Counted on the last day of the window (an edition's), never after today. Editions copy the value when published.
 */
export const accessibilityIndicatorSource: IndicatorSource = {
  name: 'accessibility',
  indicators: ['handicap'],
  manualFallback: ['handicap'],
  async valuesFor(db, procedureIds, window) {
    const today = todayInParis();
    const on = window.end < today ? window.end : today;
    const declared = await handicapValues(db, procedureIds, on);
    const others = procedureIds.filter((id) => !declared.has(id));
    const stored = await db.query<{ procedure_id: number; value: RawValue }>(
      `SELECT procedure_id, value FROM obs_live_values WHERE procedure_id = ANY($1::bigint[]) AND indicator = 'handicap'`,
      [others],
    );
    const manual = new Map(stored.rows.map((r) => [Number(r.procedure_id), r.value]));
    const result = new Map<number, Record<string, RawValue>>();
    const byHand = new Map<number, Set<string>>();
    for (const id of procedureIds) {
      const value = declared.get(id) ?? manual.get(id) ?? 0;
      result.set(id, { handicap: value });
      if (!declared.has(id) && manual.get(id) != null) byHand.set(id, new Set(['handicap']));
    }
    return withEnteredByHand(result, byHand);
  },
};
