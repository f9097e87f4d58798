import { normalCdf, tCdf, tQuantile } from './distributions.ts';
import { CONFIDENCE, sampleVariance, wilson, zFor, type Moments } from './intervals.ts';

/** A difference between two windows (after − before), its interval and the p-value of the test of no change. */
export interface Difference {
  difference: number;
  lower: number;
  upper: number;
  pValue: number | null;
}

/**
 * Two-proportion z test (pooled variance, two-sided, no continuity correction: the same as R's
 * prop.test(correct = FALSE)) and the Newcombe hybrid score interval of p2 − p1 (built from both Wilson intervals).
 */
export function proportionDifference(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  scale = 1,
  confidence = CONFIDENCE,
): Difference | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const pValue = se > 0 ? 2 * normalCdf(-Math.abs((p2 - p1) / se)) : p1 === p2 ? 1 : null;
  const w1 = wilson(x1, n1, confidence);
  const w2 = wilson(x2, n2, confidence);
  const d = p2 - p1;
  const lower = d - Math.sqrt((p2 - w2.lower) ** 2 + (w1.upper - p1) ** 2);
  const upper = d + Math.sqrt((w2.upper - p2) ** 2 + (p1 - w1.lower) ** 2);
  return { difference: scale * d, lower: scale * lower, upper: scale * upper, pValue };
}

/** Welch's t test (unequal variances, Welch–Satterthwaite degrees of freedom) and the interval of mean2 − mean1. */
export function meanDifference(before: Moments, after: Moments, confidence = CONFIDENCE): (Difference & { df: number }) | null {
  if (before.n < 2 || after.n < 2) return null;
  const m1 = before.sum / before.n;
  const m2 = after.sum / after.n;
  const a = sampleVariance(before) / before.n;
  const b = sampleVariance(after) / after.n;
  const se = Math.sqrt(a + b);
  const d = m2 - m1;
  if (!(se > 0)) return { difference: d, lower: d, upper: d, pValue: d === 0 ? 1 : null, df: before.n + after.n - 2 };
  const df = (a + b) ** 2 / ((a * a) / (before.n - 1) + (b * b) / (after.n - 1));
  const t = d / se;
  const pValue = 2 * tCdf(-Math.abs(t), df);
  const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
  return { difference: d, lower: d - half, upper: d + half, pValue, df };
}

/** Interval of a difference of two independent estimates from their own intervals (normal approximation). */
export function differenceOfEstimates(
  before: { value: number; lower: number; upper: number },
  after: { value: number; lower: number; upper: number },
  confidence = CONFIDENCE,
): Difference {
  const z = zFor(confidence);
  const se1 = (before.upper - before.lower) / (2 * z);
  const se2 = (after.upper - after.lower) / (2 * z);
  const se = Math.sqrt(se1 * se1 + se2 * se2);
  const d = after.value - before.value;
  return { difference: d, lower: d - z * se, upper: d + z * se, pValue: se > 0 ? 2 * normalCdf(-Math.abs(d / se)) : null };
}

/**
 * Benjamini–Hochberg step-up procedure: adjusted p-values (q-values) in the input order, and which are significant
 * at the false discovery rate q. Null p-values (no test possible) stay null and are not counted among the tests.
 */
export function benjaminiHochberg(pValues: readonly (number | null)[], q = 0.05): { adjusted: (number | null)[]; significant: boolean[] } {
  const tested = pValues.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null && Number.isFinite(x.p));
  tested.sort((x, y) => x.p - y.p);
  const m = tested.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const item = tested[k]!;
    running = Math.min(running, (item.p * m) / (k + 1));
    adjusted[item.i] = Math.min(1, running);
  }
  return { adjusted, significant: adjusted.map((a) => a !== null && a <= q) };
}

export type ChangeFlag = 'up' | 'down' | 'stable';

export const CHANGE_LABELS: Record<ChangeFlag, string> = {
  up: 'hausse significative',
  down: 'baisse significative',
  stable: 'stable',
};

/**
 * Flags of a whole comparison: each difference is tested, the p-values adjusted together (Benjamini–Hochberg over
 * every procedure × indicator compared), and only the adjusted-significant ones are a rise or a fall.
 */
export function flagChanges<T extends { difference: number; pValue: number | null }>(
  differences: readonly (T | null)[],
  q = 0.05,
): ({ adjusted: number | null; significant: boolean; flag: ChangeFlag } | null)[] {
  const { adjusted, significant } = benjaminiHochberg(
    differences.map((d) => d?.pValue ?? null),
    q,
  );
  return differences.map((d, i) => {
    if (!d) return null;
    const sig = significant[i]!;
    return { adjusted: adjusted[i]!, significant: sig, flag: sig ? (d.difference > 0 ? 'up' : 'down') : 'stable' };
  });
}

/** What kind of estimate an indicator is: a share (0/1 marks: Wilson, two-proportion test) or a mean of bounded marks (t, Welch). */
export type EstimateKind = 'share' | 'mean';

/**
 * The change between two windows from their moments: the two-proportion test for shares (a share's moments are
 * n and the successes), Welch's test for means. `scale` is 100 for percentages.
 */
export function momentsDifference(kind: EstimateKind, before: Moments, after: Moments, scale = 1): Difference | null {
  if (kind === 'share') return proportionDifference(before.sum, before.n, after.sum, after.n, scale);
  const d = meanDifference(before, after);
  return d && { difference: d.difference, lower: d.lower, upper: d.upper, pValue: d.pValue };
}
