import { CONFIDENCE } from './intervals.ts';
import { tCdf, tQuantile } from './distributions.ts';

export interface Coefficient {
  value: number;
  standardError: number;
  lower: number;
  upper: number;
  pValue: number;
}

/** Inverse of a small symmetric positive matrix by Gauss–Jordan elimination with partial pivoting; null if singular. */
function invert(matrix: number[][]): number[][] | null {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    for (let j = 0; j < 2 * n; j++) a[col]![j]! /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]!;
      if (f === 0) continue;
      for (let j = 0; j < 2 * n; j++) a[r]![j]! -= f * a[col]![j]!;
    }
  }
  return a.map((row) => row.slice(n));
}

/** Ordinary least squares: coefficients with standard errors, t intervals (n − k degrees of freedom) and p-values. */
export function ols(
  rows: number[][],
  y: number[],
  confidence = CONFIDENCE,
): { coefficients: Coefficient[]; df: number; residualVariance: number } | null {
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  if (n <= k || k === 0) return null;
  const xtx = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const xty = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    for (let a = 0; a < k; a++) {
      xty[a]! += r[a]! * y[i]!;
      for (let b = 0; b < k; b++) xtx[a]![b]! += r[a]! * r[b]!;
    }
  }
  const inv = invert(xtx);
  if (!inv) return null;
  const beta = inv.map((row) => row.reduce((s, v, j) => s + v * xty[j]!, 0));
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const fitted = rows[i]!.reduce((s, v, j) => s + v * beta[j]!, 0);
    rss += (y[i]! - fitted) ** 2;
  }
  const df = n - k;
  const residualVariance = rss / df;
  const tq = tQuantile(1 - (1 - confidence) / 2, df);
  const coefficients = beta.map((value, j) => {
    const standardError = Math.sqrt(Math.max(0, residualVariance * inv[j]![j]!));
    const pValue = standardError > 0 ? 2 * tCdf(-Math.abs(value / standardError), df) : value === 0 ? 1 : 0;
    return { value, standardError, lower: value - tq * standardError, upper: value + tq * standardError, pValue };
  });
  return { coefficients, df, residualVariance };
}

export interface SegmentedRegression {
  /** Level at the start of the series and slope per period before the launch. */
  intercept: Coefficient;
  slopeBefore: Coefficient;
  /** Immediate change of level at the launch, and change of slope after it. */
  levelChange: Coefficient;
  slopeChange: Coefficient;
  points: number;
}

export const MIN_POINTS_PER_SEGMENT = 6;

/**
 * Interrupted time series by segmented regression: y = b0 + b1·t + b2·D + b3·(t − t0)·D, D = 1 from the launch
 * period t0 on. Points are equally spaced periods (weeks) numbered 0, 1, 2… Null with fewer than
 * MIN_POINTS_PER_SEGMENT points on either side.
 */
export function segmentedRegression(values: readonly number[], launchIndex: number, confidence = CONFIDENCE): SegmentedRegression | null {
  return segmentedRegressionAt(
    values.map((y, t) => ({ t, y })),
    launchIndex,
    confidence,
  );
}

/** The same with the periods given (t = week number; weeks without answers are simply absent). */
export function segmentedRegressionAt(
  points: readonly { t: number; y: number }[],
  launch: number,
  confidence = CONFIDENCE,
): SegmentedRegression | null {
  const before = points.filter((p) => p.t < launch).length;
  if (before < MIN_POINTS_PER_SEGMENT || points.length - before < MIN_POINTS_PER_SEGMENT) return null;
  const rows = points.map(({ t }) => {
    const after = t >= launch ? 1 : 0;
    return [1, t, after, after * (t - launch)];
  });
  const values = points.map((p) => p.y);
  const fit = ols(rows, values, confidence);
  if (!fit) return null;
  const [intercept, slopeBefore, levelChange, slopeChange] = fit.coefficients as [Coefficient, Coefficient, Coefficient, Coefficient];
  return { intercept, slopeBefore, levelChange, slopeChange, points: values.length };
}
