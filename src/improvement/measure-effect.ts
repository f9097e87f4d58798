/**
 * A défi's effect on the indicators that are not answers to the questionnaire (issue 15, docs/improvement.md and
 * docs/statistics.md « Measures that are not samples »). Each is read from its module's entry file and compared by
 * the method its nature allows:
 * - accessibility rate: the last audit published before the launch against the last one since (a census of the
 *   audit's criteria, not a sample: no interval, the count of applicable criteria beside each rate);
 * - uptime: the time the procedure was up over the window before and the window after (every minute is observed:
 *   a measure of time, not a sample, so no interval; the monitored days beside it);
 * - load time: the mean of the loads measured in a browser in each window (a sample of loads: t interval, Welch test);
 * - online use and contacts per 1 000 uses: the observatoire's published values, the last edition whose window ends
 *   before the launch against the last one whose window starts on or after it (counts of every use and contact,
 *   declared by the administration: no sample, no interval).
 */
import type { Queryable } from '../kernel/db/db.ts';
import { estimateOf, momentsDifference, type Difference, type Estimate, type Moments } from '../kernel/stats/index.ts';
import { publishedAuditRates } from '../accessibility/index.ts';
import { computeUptime, loadTimeMoments, loadUptimeData } from '../monitoring/index.ts';
import { publishedValuesOverTime } from '../observatoire/index.ts';
import { MEASURE_EFFECT_INDICATORS, type EffectIndicator, type MeasureEffectIndicator } from './challenge-file.ts';
import type { ChallengeProcedure } from './queries.ts';

export type MeasureMethod = 'census' | 'time' | 'sample' | 'published';

export const MEASURE_INFO: Record<
  MeasureEffectIndicator,
  { label: string; unit: string; method: MeasureMethod; higherIsBetter: boolean; decimals?: number }
> = {
  accessibilityRate: { label: 'Taux de conformité RGAA (%)', unit: ' %', method: 'census', higherIsBetter: true },
  uptime: { label: 'Disponibilité (%)', unit: ' %', method: 'time', higherIsBetter: true, decimals: 2 },
  loadTime: { label: 'Temps de chargement (secondes)', unit: ' s', method: 'sample', higherIsBetter: false },
  onlineUse: { label: 'Usage en ligne (%)', unit: ' %', method: 'published', higherIsBetter: true },
  contacts: { label: 'Contacts pour 1 000 démarches', unit: '', method: 'published', higherIsBetter: false },
};

/** The observatoire's indicator of each published measure. */
const OBSERVATOIRE_INDICATOR: Partial<Record<MeasureEffectIndicator, string>> = { onlineUse: 'usage', contacts: 'contacts' };

/** One side (before or after) of a procedure's measure, with what it rests on. */
export interface MeasurePoint {
  value: number;
  /** What was measured: an audit's name, an edition's name, or the window. */
  source: string;
  /** The date or window it describes (text as shown, e.g. « du 2026-01-01 au 2026-03-31 »: dates ISO, formatted by the view). */
  from: string;
  to: string;
  /** What the value counts: applicable criteria (census), monitored days (time); null for a published value. */
  basis: number | null;
}

export interface ProcedureMeasure {
  procedure: ChallengeProcedure;
  before: MeasurePoint | null;
  after: MeasurePoint | null;
  /** after − before, in the indicator's unit (points for a %); no interval: nothing here is a sample. */
  difference: number | null;
}

export interface MeasureEffect {
  indicator: MeasureEffectIndicator;
  method: MeasureMethod;
  /** Per procedure (census, time, published). */
  procedures: ProcedureMeasure[];
  /** Load time: the loads of every procedure of the défi pooled, before and after, with intervals and Welch's test. */
  sample: { before: Estimate | null; after: Estimate | null; difference: Difference | null } | null;
}

const DAY = 86_400_000;
const at = (d: string) => new Date(`${d}T00:00:00Z`);
const nextDay = (d: string) => new Date(at(d).getTime() + DAY);

function measure(procedure: ChallengeProcedure, before: MeasurePoint | null, after: MeasurePoint | null): ProcedureMeasure {
  return { procedure, before, after, difference: before && after ? after.value - before.value : null };
}

/** Load times in seconds: the moments of the milliseconds rescaled (Σ ÷ 1 000, Σ² ÷ 10⁶). */
const seconds = (m: Moments): Moments => ({ n: m.n, sum: m.sum / 1000, sumSquares: m.sumSquares / 1e6 });
/** A load is cut at 60 s (the measurer's time-out): the scale of the mean. */
const LOAD_BOUNDS = { min: 0, max: 60 };

export async function measureEffects(
  db: Queryable,
  indicators: EffectIndicator[],
  procedures: ChallengeProcedure[],
  windows: { before: { start: string; end: string }; after: { start: string; end: string } },
): Promise<MeasureEffect[]> {
  const wanted = indicators.filter((i): i is MeasureEffectIndicator => (MEASURE_EFFECT_INDICATORS as readonly string[]).includes(i));
  if (wanted.length === 0 || procedures.length === 0) return [];
  const ids = procedures.map((p) => p.id);
  const { before, after } = windows;
  const launch = after.start;
  // Online use and contacts: one read of the published values for both.
  const published = wanted.filter((i) => OBSERVATOIRE_INDICATOR[i]);
  const values = published.length
    ? (
        await publishedValuesOverTime(
          db,
          ids,
          published.map((i) => OBSERVATOIRE_INDICATOR[i]!),
        )
      ).filter((v) => v.value !== null)
    : [];
  const result: MeasureEffect[] = [];
  for (const indicator of wanted) {
    const method = MEASURE_INFO[indicator].method;
    if (indicator === 'accessibilityRate') {
      const audits = (await publishedAuditRates(db, ids)).filter((a) => a.rate !== null);
      const point = (a: (typeof audits)[number] | undefined): MeasurePoint | null =>
        a ? { value: a.rate!, source: a.name, from: a.measuredOn, to: a.measuredOn, basis: a.applicable } : null;
      result.push({
        indicator,
        method,
        sample: null,
        procedures: procedures.map((p) => {
          const mine = audits.filter((a) => a.procedureId === p.id);
          return measure(
            p,
            point(mine.filter((a) => a.measuredOn < launch).at(-1)),
            point(mine.filter((a) => a.measuredOn >= launch).at(-1)),
          );
        }),
      });
    } else if (indicator === 'uptime') {
      // One read of targets, incidents and maintenance over both windows; each window computed from it.
      const data = await loadUptimeData(db, 'procedure', ids, at(before.start), nextDay(after.end));
      const point = (id: number, w: { start: string; end: string }): MeasurePoint | null => {
        const u = computeUptime(data, id, at(w.start).getTime(), nextDay(w.end).getTime());
        return u && u.percent !== null
          ? { value: u.percent, source: 'surveillance', from: w.start, to: w.end, basis: u.monitoredMs / DAY }
          : null;
      };
      result.push({
        indicator,
        method,
        sample: null,
        procedures: procedures.map((p) => measure(p, point(p.id, before), point(p.id, after))),
      });
    } else if (indicator === 'loadTime') {
      const mb = seconds(await loadTimeMoments(db, ids, at(before.start), nextDay(before.end)));
      const ma = seconds(await loadTimeMoments(db, ids, at(after.start), nextDay(after.end)));
      result.push({
        indicator,
        method,
        procedures: [],
        sample: {
          before: estimateOf('mean', mb, 1, LOAD_BOUNDS),
          after: estimateOf('mean', ma, 1, LOAD_BOUNDS),
          difference: momentsDifference('mean', mb, ma),
        },
      });
    } else {
      const mineOf = (id: number) => values.filter((v) => v.procedureId === id && v.indicator === OBSERVATOIRE_INDICATOR[indicator]);
      const point = (v: (typeof values)[number] | undefined): MeasurePoint | null =>
        v ? { value: v.value!, source: v.editionName, from: v.windowStart, to: v.windowEnd, basis: null } : null;
      result.push({
        indicator,
        method,
        sample: null,
        procedures: procedures.map((p) => {
          const mine = mineOf(p.id);
          return measure(
            p,
            point(mine.filter((v) => v.windowEnd < launch).at(-1)),
            point(mine.filter((v) => v.windowStart >= launch).at(-1)),
          );
        }),
      });
    }
  }
  return result;
}
