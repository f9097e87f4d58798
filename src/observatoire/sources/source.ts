import type { Queryable } from '../../kernel/db/db.ts';
import type { RawValue } from '../rules/model.ts';

/** The period an edition measures (the feedback window): dates as 'YYYY-MM-DD', both included. */
export interface ValueWindow {
  start: string;
  end: string;
}

/**
 * Where the values of computed indicators come from. A module (feedback, accessibility, monitoring) registers one
 * source for the indicators it computes; the observatoire asks every source for a batch of procedures at once.
 */
export interface IndicatorSource {
  name: string;
  indicators: string[];
  /**
   * Indicators of this source that people may still enter by hand (back-office, import) for the procedures the source
   * does not measure yet; the source itself returns the stored value for those (e.g. « handicap » without a declaration)
   * and names those cells in the `enteredByHand` of what `valuesFor` returns.
   */
  manualFallback?: string[];
  valuesFor(db: Queryable, procedureIds: number[], window: ValueWindow): Promise<SourceValues>;
  /**
   * What the 95 % intervals and the tests of a change need (docs/statistics.md), per procedure and indicator, from
   * the same counts as the values: n, Σ mark and Σ mark² (a share is a mean of 0/1 marks: sum = sumSquares =
   * successes). Optional: indicators of a source without it are shown without interval.
   */
  statisticsFor?(db: Queryable, procedureIds: number[], window: ValueWindow): Promise<Map<number, Record<string, CellMoments>>>;
}

/**
 * What a source returns: per procedure, its indicators' values; `enteredByHand` (optional, sources with a
 * `manualFallback` only) names, per procedure, the indicators whose value is the one entered by hand rather than
 * measured. The observatoire shows those cells marked « saisie manuelle » and editions freeze the mark with the value.
 */
export type SourceValues = Map<number, Record<string, RawValue>> & { enteredByHand?: Map<number, Set<string>> };

/** `values` with its cells entered by hand (per procedure, indicator slugs) attached, as `valuesFor` returns them. */
export function withEnteredByHand(values: Map<number, Record<string, RawValue>>, enteredByHand: Map<number, Set<string>>): SourceValues {
  return Object.assign(values, { enteredByHand });
}

/** Moments of one cell: a share (Wilson, two-proportion test) or a mean of bounded marks (t interval, Welch). */
export interface CellMoments {
  kind: 'share' | 'mean';
  n: number;
  sum: number;
  sumSquares: number;
}

const registered: IndicatorSource[] = [];

/** Called once by a module at load time (see docs/observatoire.md). A later source wins for the same indicator. */
export function registerIndicatorSource(source: IndicatorSource): void {
  const index = registered.findIndex((s) => s.name === source.name);
  if (index >= 0) registered.splice(index, 1);
  registered.push(source);
}

export function registeredSources(): readonly IndicatorSource[] {
  return registered;
}
