import { normalQuantile, tQuantile } from './distributions.ts';

/** An estimate with its confidence interval and the number of answers it rests on. */
export interface Estimate {
  value: number;
  lower: number;
  upper: number;
  n: number;
}

/** What a mean needs, read from counts per mark: n = Σ count, sum = Σ mark × count, sumSquares = Σ mark² × count. */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

/** The scale of a mark (0–10 for every feedback mark). */
export interface Bounds {
  min: number;
  max: number;
}

export const MARK_BOUNDS: Bounds = { min: 0, max: 10 };
export const CONFIDENCE = 0.95;

export function zFor(confidence = CONFIDENCE): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/** Moments of a list of { mark, count } (the rollups' counts per option). */
export function momentsOf(marks: Iterable<{ mark: number; count: number }>): Moments {
  let n = 0;
  let sum = 0;
  let sumSquares = 0;
  for (const { mark, count } of marks) {
    n += count;
    sum += mark * count;
    sumSquares += mark * mark * count;
  }
  return { n, sum, sumSquares };
}

export function addMoments(a: Moments, b: Moments): Moments {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumSquares: a.sumSquares + b.sumSquares };
}

/** Sample variance (n − 1 in the denominator), never negative (rounding). */
export function sampleVariance(m: Moments): number {
  if (m.n < 2) return NaN;
  const mean = m.sum / m.n;
  return Math.max(0, (m.sumSquares - m.n * mean * mean) / (m.n - 1));
}

/**
 * Wilson score interval of a share (0–1): successes out of n. Unlike the Wald interval it stays inside [0, 1] and
 * keeps its coverage for small n and shares near 0 or 1.
 */
export function wilson(successes: number, n: number, confidence = CONFIDENCE): { lower: number; upper: number } {
  if (n <= 0) return { lower: 0, upper: 1 };
  const z = zFor(confidence);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** A share as an estimate, on a scale (100 for percentages); null when nobody answered. */
export function shareEstimate(successes: number, n: number, scale = 1, confidence = CONFIDENCE): Estimate | null {
  if (n <= 0) return null;
  const { lower, upper } = wilson(successes, n, confidence);
  return { value: (scale * successes) / n, lower: scale * lower, upper: scale * upper, n };
}

/**
 * Interval of a mean of bounded marks: Student's t interval on the mean (n − 1 degrees of freedom, variance from
 * the sums of marks and of squared marks), clipped to the scale. Marks are bounded (0–10), so their variance is
 * finite (at most 25) and the mean is close to normal from a few dozen answers; the t interval is the one that goes
 * with Welch's test used to compare windows. When every answer gave the same mark (variance 0), the t interval
 * would be a point: the Wilson interval of the mean rescaled to 0–1 is used instead (what the interval would be if
 * every answer sat at one end of the scale, the widest variance possible for that mean). One answer: the whole scale.
 */
export function meanEstimate(m: Moments, bounds: Bounds = MARK_BOUNDS, confidence = CONFIDENCE): Estimate | null {
  if (m.n <= 0) return null;
  const value = m.sum / m.n;
  const width = bounds.max - bounds.min;
  if (m.n < 2) return { value, lower: bounds.min, upper: bounds.max, n: m.n };
  const variance = sampleVariance(m);
  if (variance <= 1e-12 * width * width) {
    const w = wilson(((value - bounds.min) / width) * m.n, m.n, confidence);
    return { value, lower: bounds.min + w.lower * width, upper: bounds.min + w.upper * width, n: m.n };
  }
  const half = tQuantile(1 - (1 - confidence) / 2, m.n - 1) * Math.sqrt(variance / m.n);
  return { value, lower: Math.max(bounds.min, value - half), upper: Math.min(bounds.max, value + half), n: m.n };
}

/**
 * Does the interval leave the level in doubt? True when a threshold (level « from » value) lies inside it: the
 * value could be on either side. A threshold equal to the lower bound does not count (the whole interval is ≥ it).
 */
export function straddles(estimate: { lower: number; upper: number }, thresholds: Iterable<number>): boolean {
  for (const t of thresholds) if (estimate.lower < t && estimate.upper >= t) return true;
  return false;
}

/** The estimate of moments of a kind: Wilson for a share (on `scale`, 100 for %), t interval for a mean mark. */
export function estimateOf(kind: 'share' | 'mean', m: Moments, scale = 1, bounds: Bounds = MARK_BOUNDS): Estimate | null {
  return kind === 'share' ? shareEstimate(m.sum, m.n, scale) : meanEstimate(m, bounds);
}

/** The thresholds of a list of levels (« from » values), for `straddles`. */
export function thresholdsOf(levels: readonly { from?: number }[]): number[] {
  return levels.map((l) => l.from).filter((f): f is number => typeof f === 'number');
}
