import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  benjaminiHochberg,
  flagChanges,
  meanDifference,
  meanEstimate,
  momentsOf,
  normalCdf,
  normalQuantile,
  proportionDifference,
  segmentedRegression,
  shareEstimate,
  straddles,
  tCdf,
  tQuantile,
  wilson,
} from './index.ts';

// Every expected value below comes from SciPy 1.17 (scipy.stats: binomtest(...).proportion_ci(method='wilson'),
// ttest_ind / ttest_ind_from_stats(equal_var=False), t.ppf, t.cdf, norm.cdf, false_discovery_control, numpy lstsq),
// or from a published worked example (Wilson 81/263: 0.2553–0.3662, the example of R's binom and of Newcombe 1998),
// never from the code under test.
const close = (actual: number, expected: number, tolerance = 1e-9, label = '') =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label} ${actual} ≠ ${expected} (± ${tolerance})`);

describe('distributions against SciPy', () => {
  test('normal cdf and quantile', () => {
    close(normalCdf(1), 0.8413447460685429, 1e-13);
    close(1 - normalCdf(3.5), 0.00023262907903552502, 1e-13);
    close(normalQuantile(0.975), 1.959963984540054, 1e-12);
    close(normalQuantile(0.025), -1.959963984540054, 1e-12);
  });
  test('Student t cdf and quantile (fractional df for Welch)', () => {
    close(tCdf(2, 5), 0.9490302605850708, 1e-12);
    close(tCdf(-1.5, 12.3), 0.07941942338275546, 1e-12);
    close(tQuantile(0.975, 1), 12.706204736174694, 1e-9);
    close(tQuantile(0.975, 9), 2.262157162798205, 1e-9);
    close(tQuantile(0.975, 99.5), 1.9840936109906238, 1e-9);
  });
});

describe('Wilson interval', () => {
  test('81 successes of 263: 0.2553 – 0.3662 (published example), SciPy to 1e-12', () => {
    const w = wilson(81, 263);
    close(w.lower, 0.2552885198782742, 1e-12);
    close(w.upper, 0.36620957698280004, 1e-12);
  });
  test('edges and small n against SciPy', () => {
    for (const [k, n, lo, hi] of [
      [0, 10, 0, 0.27753279986288926],
      [10, 10, 0.7224672001371109, 1],
      [1, 3, 0.06149194472039626, 0.7923403991979523],
      [500, 1000, 0.4690696003681042, 0.5309303996318958],
    ] as const) {
      const w = wilson(k, n);
      close(w.lower, lo, 1e-12, `${k}/${n}`);
      close(w.upper, hi, 1e-12, `${k}/${n}`);
    }
  });
  test('share estimate on a percentage scale', () => {
    const e = shareEstimate(81, 263, 100)!;
    close(e.value, (100 * 81) / 263);
    close(e.lower, 25.52885198782742, 1e-10);
    assert.equal(e.n, 263);
    assert.equal(shareEstimate(0, 0), null);
  });
  test('property: holds the estimate, inside [0, 1], narrows as n grows at the same share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const k = Math.round(share * n);
        const w = wilson(k, n);
        const p = k / n;
        assert.ok(w.lower <= p + 1e-12 && p <= w.upper + 1e-12);
        assert.ok(w.lower >= 0 && w.upper <= 1);
        const w4 = wilson(4 * k, 4 * n);
        assert.ok(w4.upper - w4.lower < w.upper - w.lower + 1e-12);
      }),
    );
  });
});

describe('interval of a mean of bounded marks (t interval from sums)', () => {
  // 30 marks of 10, 10 of 5, 10 of 0: mean 7; SciPy: t.ppf(0.975, 49) = 2.0095752371292392, interval 5.8517 – 8.1483.
  const a = momentsOf([
    { mark: 10, count: 30 },
    { mark: 5, count: 10 },
    { mark: 0, count: 10 },
  ]);
  test('equals the t interval SciPy computes from the 50 raw marks', () => {
    const e = meanEstimate(a)!;
    close(e.value, 7);
    close(e.lower, 5.851671293069006, 1e-9);
    close(e.upper, 8.148328706930993, 1e-9);
    assert.equal(e.n, 50);
  });
  test('clipped to the scale; one answer: the whole scale; all the same mark: not a point', () => {
    const high = meanEstimate(
      momentsOf([
        { mark: 10, count: 9 },
        { mark: 0, count: 1 },
      ]),
    )!;
    assert.ok(high.upper <= 10);
    assert.deepEqual(meanEstimate(momentsOf([{ mark: 7.5, count: 1 }])), { value: 7.5, lower: 0, upper: 10, n: 1 });
    const same = meanEstimate(momentsOf([{ mark: 10, count: 10 }]))!;
    // Wilson of 10/10 rescaled: 7.2247 – 10.
    close(same.lower, 7.224672001371109, 1e-10);
    assert.equal(same.upper, 10);
    assert.equal(meanEstimate({ n: 0, sum: 0, sumSquares: 0 }), null);
  });
  test('property: holds the mean and narrows as n grows (same mix of marks)', () => {
    const mark = fc.constantFrom(0, 2.5, 5, 7.5, 10);
    fc.assert(
      fc.property(fc.array(fc.record({ mark, count: fc.integer({ min: 1, max: 200 }) }), { minLength: 1, maxLength: 5 }), (list) => {
        const m = momentsOf(list);
        const e = meanEstimate(m)!;
        assert.ok(e.lower <= e.value + 1e-9 && e.value <= e.upper + 1e-9);
        assert.ok(e.lower >= 0 && e.upper <= 10);
        const e4 = meanEstimate(momentsOf(list.map((x) => ({ ...x, count: 4 * x.count }))))!;
        assert.ok(e4.upper - e4.lower <= e.upper - e.lower + 1e-9);
      }),
    );
  });
  test('straddling a threshold', () => {
    assert.equal(straddles({ lower: 7.6, upper: 8.3 }, [5, 8]), true);
    assert.equal(straddles({ lower: 8, upper: 9 }, [5, 8]), false);
    assert.equal(straddles({ lower: 5.5, upper: 7.9 }, [5, 8]), false);
  });
});

describe('tests of a change', () => {
  test('Welch: SciPy ttest_ind(equal_var=False) on the raw marks; interval from SciPy', () => {
    const before = momentsOf([
      { mark: 10, count: 20 },
      { mark: 5, count: 15 },
      { mark: 0, count: 15 },
    ]);
    const after = momentsOf([
      { mark: 10, count: 30 },
      { mark: 5, count: 10 },
      { mark: 0, count: 10 },
    ]);
    const d = meanDifference(before, after)!;
    close(d.difference, 1.5);
    close(d.pValue!, 0.0716730876195, 1e-9);
    close(d.df, 97.86169131760187, 1e-8);
    close(d.lower, -0.13474281472483796, 1e-8);
    close(d.upper, 3.134742814724838, 1e-8);
  });
  test('Welch from summary statistics (means 6 and 7, sd 4 and 3, n 50 and 40): p = 0.17903 (SciPy)', () => {
    const fromStats = (mean: number, sd: number, n: number) => ({ n, sum: mean * n, sumSquares: sd * sd * (n - 1) + n * mean * mean });
    close(meanDifference(fromStats(6, 4, 50), fromStats(7, 3, 40))!.pValue!, 0.17903490349678552, 1e-9);
  });
  test('two proportions: 81/263 then 120/300: p = 0.022994 (SciPy chi2_contingency without correction), Newcombe interval by hand from the Wilson bounds', () => {
    const d = proportionDifference(81, 263, 120, 300)!;
    close(d.pValue!, 0.02299447675775155, 1e-11);
    close(d.lower, 0.01271632879299088, 1e-11);
    close(d.upper, 0.16917562805199798, 1e-11);
  });
  test('Benjamini–Hochberg: SciPy false_discovery_control', () => {
    const { adjusted, significant } = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2, 0.5, null]);
    const expected = [0.03, 0.06, 0.06, 0.03, 0.24, 0.5];
    for (const [i, e] of expected.entries()) close(adjusted[i]!, e, 1e-12);
    assert.equal(adjusted[6], null);
    assert.deepEqual(significant, [true, false, false, true, false, false, false]);
  });
  // By hand: m = 4 tests; 0.001·4/1 = 0.004, 0.002·4/2 = 0.004, 0.04·4/3 = 0.053 > 0.05 (stable), 0.2·4/4 = 0.2.
  test('flags: only adjusted-significant changes are a rise or a fall', () => {
    const flags = flagChanges([
      { difference: 1, pValue: 0.001 },
      { difference: -1, pValue: 0.002 },
      { difference: 0.5, pValue: 0.04 },
      { difference: 0.5, pValue: 0.2 },
      null,
    ]);
    assert.deepEqual(
      flags.map((f) => f?.flag ?? null),
      ['up', 'down', 'stable', 'stable', null],
    );
  });
});

describe('interrupted time series', () => {
  test('segmented regression equals numpy least squares and SciPy t intervals', () => {
    const y = [6.1, 6.3, 5.9, 6.2, 6.0, 6.4, 6.2, 6.1, 7.0, 7.2, 7.1, 7.5, 7.4, 7.6, 7.8, 7.7];
    const r = segmentedRegression(y, 8)!;
    close(r.intercept.value, 6.116666666666672, 1e-9);
    close(r.slopeBefore.value, 0.009523809523809448, 1e-9);
    close(r.levelChange.value, 0.8321428571428569, 1e-9);
    close(r.levelChange.standardError, 0.14608053230967855, 1e-9);
    close(r.levelChange.lower, 0.5138607191819111, 1e-8);
    close(r.levelChange.upper, 1.1504249951038026, 1e-8);
    close(r.levelChange.pValue, 9.968498104664067e-5, 1e-10);
    close(r.slopeChange.value, 0.10119047619047569, 1e-9);
    close(r.slopeChange.lower, 0.03254798499557934, 1e-8);
    close(r.slopeChange.pValue, 0.007465380049583031, 1e-10);
  });
  test('too few points on a side: no regression', () => {
    assert.equal(segmentedRegression([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3), null);
  });
});
