/**
 * The effect of a défi on its procedures' feedback (issue 15, docs/improvement.md): a baseline window before the launch
 * date and an after window from it, each with its 95 % interval, the difference with its interval and test; with
 * enough weekly points an interrupted time series (segmented regression); and a difference-in-differences against
 * the same ministries' other procedures, marked indicative. Everything from the rollups (moments are additive: the
 * other procedures are the ministries' totals minus the défi's).
 */
import type { Queryable } from '../kernel/db/db.ts';
import {
  addMoments,
  differenceOfEstimates,
  estimateOf,
  momentsDifference,
  segmentedRegressionAt,
  type Difference,
  type Estimate,
  type Moments,
  type SegmentedRegression,
} from '../kernel/stats/index.ts';
import { computeIndicators, countsBy, countsByWeek, SHARE_INDICATORS, type OptionCount } from '../feedback/index.ts';
import type { Challenge, ChallengeProcedure } from './queries.ts';
import { FEEDBACK_EFFECT_INDICATORS, type FeedbackEffectIndicator } from './challenge-file.ts';
import { measureEffects, type MeasureEffect } from './measure-effect.ts';

export const INDICATOR_INFO: Record<
  FeedbackEffectIndicator,
  { label: string; kind: 'share' | 'mean'; unit: string; higherIsBetter: boolean }
> = {
  satisfaction: { label: 'Satisfaction (note sur 10)', kind: 'mean', unit: ' / 10', higherIsBetter: true },
  clarity: { label: 'Clarté du langage (note sur 10)', kind: 'mean', unit: ' / 10', higherIsBetter: true },
  helpEfficient: { label: 'Qualité de l’aide (note sur 10)', kind: 'mean', unit: ' / 10', higherIsBetter: true },
  helpReachable: { label: 'Aide joignable (%)', kind: 'share', unit: ' %', higherIsBetter: true },
  autonomy: { label: 'Niveau d’autonomie (%)', kind: 'share', unit: ' %', higherIsBetter: true },
  negative: { label: 'Avis négatifs (%)', kind: 'share', unit: ' %', higherIsBetter: false },
  hard: { label: 'Démarche jugée peu claire (%)', kind: 'share', unit: ' %', higherIsBetter: false },
  helpNeeded: { label: 'Besoin d’aide (%)', kind: 'share', unit: ' %', higherIsBetter: false },
};

/** Weeks of each window around the launch. */
export const WINDOW_WEEKS = 12;
/** Weeks of the series read for the interrupted time series, each side. */
export const SERIES_WEEKS = 26;

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);

const count = (counts: OptionCount[], question: string, options: string[]) =>
  counts.filter((c) => c.question === question && options.includes(c.optionId)).reduce((s, c) => s + c.count, 0);
const share = (successes: number, n: number): Moments => ({ n, sum: successes, sumSquares: successes });

/** Moments of every effect indicator from option counts. */
export function effectMoments(counts: OptionCount[]): Record<FeedbackEffectIndicator, Moments> {
  const ind = computeIndicators(counts);
  const helpAnswered = count(counts, 'help_tried', ['_answered']);
  return {
    satisfaction: ind.moments.satisfaction,
    clarity: ind.moments.clarity,
    helpEfficient: ind.moments.helpEfficient,
    helpReachable: ind.moments.helpReachable,
    autonomy: ind.moments.autonomy,
    negative: share(count(counts, 'satisfaction', ['bad']), ind.moments.satisfaction.n),
    hard: share(count(counts, 'clarity', ['very_bad', 'bad']), ind.moments.clarity.n),
    helpNeeded: share(helpAnswered - count(counts, 'help_tried', ['none']), helpAnswered),
  };
}

const ZERO: Moments = { n: 0, sum: 0, sumSquares: 0 };
const minus = (a: Moments, b: Moments): Moments => ({ n: a.n - b.n, sum: a.sum - b.sum, sumSquares: a.sumSquares - b.sumSquares });

export interface IndicatorEffect {
  indicator: FeedbackEffectIndicator;
  before: Estimate | null;
  after: Estimate | null;
  difference: Difference | null;
  its: SegmentedRegression | null;
  weekly: { week: string; t: number; value: number; n: number }[];
  /** Indicative: (after − before) of the défi minus (after − before) of the same ministries' other procedures. */
  did: (Difference & { controlBefore: Estimate | null; controlAfter: Estimate | null }) | null;
}

export interface ChallengeEffect {
  launch: string;
  before: { start: string; end: string };
  after: { start: string; end: string };
  /** The after window is not over yet. */
  partial: boolean;
  indicators: IndicatorEffect[];
  /** Accessibility rate, uptime, load time, online use, contacts: each by the method its nature allows. */
  measures: MeasureEffect[];
}

function sumCounts(map: Map<number, OptionCount[]>, ids: number[]): Record<FeedbackEffectIndicator, Moments> {
  const total = effectMoments([]);
  for (const id of ids) {
    const m = effectMoments(map.get(id) ?? []);
    for (const k of Object.keys(total) as FeedbackEffectIndicator[]) total[k] = addMoments(total[k], m[k]);
  }
  return total;
}

export async function challengeEffect(
  db: Queryable,
  c: Challenge,
  procedures: ChallengeProcedure[],
  today = iso(Date.now()),
): Promise<ChallengeEffect | null> {
  if (!c.launch || procedures.length === 0) return null;
  const launch = ms(c.launch);
  const before = { start: iso(launch - WINDOW_WEEKS * 7 * DAY), end: iso(launch - DAY) };
  const afterEnd = Math.min(launch + (WINDOW_WEEKS * 7 - 1) * DAY, ms(today));
  if (afterEnd < launch)
    return { launch: c.launch, before, after: { start: c.launch, end: c.launch }, partial: true, indicators: [], measures: [] };
  const after = { start: c.launch, end: iso(afterEnd) };
  const ids = procedures.map((p) => p.id);
  const ministries = [...new Set(procedures.map((p) => p.ministryId))];
  // Monday of the launch week: week numbers count from it (negative before).
  const launchDay = new Date(launch).getUTCDay();
  const launchMonday = launch - ((launchDay + 6) % 7) * DAY;
  const series = {
    start: iso(launchMonday - SERIES_WEEKS * 7 * DAY),
    end: iso(Math.min(launchMonday + SERIES_WEEKS * 7 * DAY - DAY, ms(today))),
  };
  const treatedBefore = sumCounts(await countsBy(db, 'procedure', ids, before), ids);
  const treatedAfter = sumCounts(await countsBy(db, 'procedure', ids, after), ids);
  const ministryBefore = sumCounts(await countsBy(db, 'ministry', ministries, before), ministries);
  const ministryAfter = sumCounts(await countsBy(db, 'ministry', ministries, after), ministries);
  const weeks = await countsByWeek(db, ids, series);
  const weeklyMoments = [...weeks].map(([week, counts]) => ({
    week,
    t: Math.round((ms(week) - launchMonday) / (7 * DAY)),
    m: effectMoments(counts),
  }));
  const feedbackIndicators = c.indicators.filter((i): i is FeedbackEffectIndicator =>
    (FEEDBACK_EFFECT_INDICATORS as readonly string[]).includes(i),
  );
  const indicators = feedbackIndicators.map((indicator): IndicatorEffect => {
    const info = INDICATOR_INFO[indicator];
    const scale = info.kind === 'share' ? 100 : 1;
    const b = treatedBefore[indicator];
    const a = treatedAfter[indicator];
    const eb = estimateOf(info.kind, b, scale);
    const ea = estimateOf(info.kind, a, scale);
    const difference = momentsDifference(info.kind, b, a, scale);
    const weekly = weeklyMoments
      .filter((w) => w.m[indicator].n > 0)
      .map((w) => ({ week: w.week, t: w.t, value: (scale * w.m[indicator].sum) / w.m[indicator].n, n: w.m[indicator].n }));
    const its = segmentedRegressionAt(
      weekly.map((w) => ({ t: w.t, y: w.value })),
      0,
    );
    const cb = minus(ministryBefore[indicator] ?? ZERO, b);
    const ca = minus(ministryAfter[indicator] ?? ZERO, a);
    const controlDiff = momentsDifference(info.kind, cb, ca, scale);
    let did: IndicatorEffect['did'] = null;
    if (difference && controlDiff) {
      const d = differenceOfEstimates(
        { value: controlDiff.difference, lower: controlDiff.lower, upper: controlDiff.upper },
        { value: difference.difference, lower: difference.lower, upper: difference.upper },
      );
      did = { ...d, controlBefore: estimateOf(info.kind, cb, scale), controlAfter: estimateOf(info.kind, ca, scale) };
    }
    return { indicator, before: eb, after: ea, difference, its, weekly, did };
  });
  const measures = await measureEffects(db, c.indicators, procedures, { before, after });
  return { launch: c.launch, before, after, partial: afterEnd < launch + (WINDOW_WEEKS * 7 - 1) * DAY, indicators, measures };
}
