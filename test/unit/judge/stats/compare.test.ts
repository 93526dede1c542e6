import { describe, expect, it } from 'vitest';
import {
  classify,
  compareHistograms,
  compareMeans,
  compareProportions,
  stats,
  type TestConfig,
} from '../../../../metrics-provider/judge/index.js';

const inf = Number.POSITIVE_INFINITY;
const config: TestConfig = { confidence: 0.99, tolerance: 1.1, looks: 5 };
const bounds = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, inf];
const stableCounts = [0, 10, 480, 380, 125, 5, 0, 0];

describe('compareHistograms', () => {
  it('when the canary is slower throughout then the test is significant and beyond tolerance', () => {
    const r = compareHistograms(
      { upperBounds: bounds, counts: [0, 0, 20, 40, 60, 25, 5, 0] },
      { upperBounds: bounds, counts: stableCounts },
      config,
    );
    expect(r.name).toBe('Mann-Whitney U on buckets');
    expect(r.alpha).toBeCloseTo(0.0020080483, 9);
    expect(r.significant).toBe(true);
    expect(r.beyondTolerance).toBe(true);
    expect(r.effectName).toBe('p95 ratio');
  });

  it('when a tiny shift is significant at huge volume then it stays within tolerance and classify passes', () => {
    // 2% of a million requests moved from (0.8, 1] to (1, 1.5]
    const stable = { upperBounds: bounds, counts: stableCounts.map((c) => c * 1000) };
    const canary = { upperBounds: bounds, counts: [0, 10, 480, 360, 145, 5, 0, 0].map((c) => c * 1000) };
    const test = compareHistograms(canary, stable, config);
    expect(test.significant).toBe(true);
    expect(test.beyondTolerance).toBe(false);
    const verdict = classify(
      {
        direction: 'increase-is-bad',
        unit: 'seconds',
        figure: 'p95 e2e latency',
        limits: { minSamples: 50 },
      },
      { value: 1.3, baseline: 1.28, samples: { canary: 1e6, stable: 1e6 }, test },
    ).verdict;
    expect(verdict).toBe('pass');
  });

  it('when canary and stable have different buckets then both are re-binned onto the shared bounds', () => {
    const aligned = stats.alignBuckets(
      { upperBounds: [0.1, 0.2, 0.3, 0.5, inf], counts: [1, 2, 3, 4, 5] },
      { upperBounds: [0.3, 0.5, inf], counts: [6, 7, 8] },
    );
    expect(aligned).toEqual({ upperBounds: [0.3, 0.5, inf], a: [6, 4, 5], b: [6, 7, 8] });
  });

  it.each([
    ['both empty', [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]],
    ['the canary empty', [0, 0, 0, 0, 0, 0, 0, 0], stableCounts],
    ['identical', stableCounts, stableCounts],
    ['constant, all in one bucket', [0, 0, 0, 70, 0, 0, 0, 0], [0, 0, 0, 900, 0, 0, 0, 0]],
    ['non-integer and identical', stableCounts.map((c) => c * 0.37), stableCounts.map((c) => c * 0.37)],
  ])('when %s then not significant and no NaN', (_name, canary, stable) => {
    const r = compareHistograms(
      { upperBounds: bounds, counts: canary },
      { upperBounds: bounds, counts: stable },
      config,
    );
    expect(r.significant).toBe(false);
    expect(Number.isNaN(r.pValue) || Number.isNaN(r.effect)).toBe(false);
  });

  it('when the direction is decrease-is-bad then the other tail is tested', () => {
    const faster = { upperBounds: bounds, counts: [40, 60, 20, 0, 0, 0, 0, 0] };
    const stable = { upperBounds: bounds, counts: stableCounts };
    expect(compareHistograms(faster, stable, config, 'decrease-is-bad').significant).toBe(true);
    expect(compareHistograms(faster, stable, config, 'increase-is-bad').significant).toBe(false);
  });
});

describe('histogramQuantileLogNormal', () => {
  it('when the data are log-normal then the quantile is recovered inside a wide bucket', () => {
    // median 0.08, sigma 0.5: counts are exact bucket probabilities x 1e6 over the TTFT buckets 0.04..0.5
    const upper = [0.04, 0.06, 0.08, 0.1, 0.25, 0.5, inf];
    const cdf = (x: number) => stats.normalCdf(Math.log(x / 0.08) / 0.5);
    const cum = upper.map((x) => (x === inf ? 1 : cdf(x)));
    const counts = cum.map((c, i) => 1e6 * (c - (i === 0 ? 0 : cum[i - 1]!)));
    const p95 = 0.08 * Math.exp(0.5 * 1.6448536);
    expect(stats.histogramQuantileLogNormal(0.95, { upperBounds: upper, counts })).toBeCloseTo(p95, 4);
  });

  it.each([
    ['empty', [0, 0, 0], Number.NaN],
    ['the quantile in the first bucket: Prometheus interpolation', [10, 0, 0], 0.95],
    ['the quantile in +Inf: the highest finite bound', [0, 0, 10], 2],
  ])('when %s then it falls back', (_name, counts, expected) => {
    const value = stats.histogramQuantileLogNormal(0.95, { upperBounds: [1, 2, inf], counts });
    if (Number.isNaN(expected)) expect(value).toBeNaN();
    else expect(value).toBeCloseTo(expected, 10);
  });
});

describe('compareProportions', () => {
  it('when 0.5% against 2% errors over 3000 and 900 requests then significant and beyond tolerance', () => {
    const r = compareProportions(
      { failed: 18, total: 900 },
      { failed: 15, total: 3000 },
      { ...config, tolerance: 1.5 },
    );
    expect(r.significant).toBe(true);
    expect(r.beyondTolerance).toBe(true);
    expect(r.effect).toBeCloseTo(18.5 / 901 / (15.5 / 3001), 10);
  });

  it.each([
    ['no requests', { failed: 0, total: 0 }, { failed: 0, total: 0 }],
    ['no errors', { failed: 0, total: 500 }, { failed: 0, total: 5000 }],
    ['identical ratios', { failed: 5, total: 500 }, { failed: 50, total: 5000 }],
    ['stable has no requests', { failed: 5, total: 500 }, { failed: 0, total: 0 }],
    ['non-integer counts', { failed: 2.4, total: 99.6 }, { failed: 19.8, total: 1000.2 }],
  ])('when %s then not significant and no NaN', (_name, canary, stable) => {
    const r = compareProportions(canary, stable, config);
    expect(r.significant).toBe(false);
    expect(Number.isNaN(r.pValue) || Number.isNaN(r.effect)).toBe(false);
  });
});

describe('compareMeans', () => {
  it('when canary quality drops from 0.85 to 0.70 over 100 items each then significant and beyond tolerance', () => {
    const r = compareMeans(
      { count: 100, mean: 0.7, variance: 0.04 },
      { count: 100, mean: 0.85, variance: 0.03 },
      config,
    );
    expect(r.name).toBe("Welch's t-test");
    expect(r.significant).toBe(true);
    expect(r.beyondTolerance).toBe(true);
    expect(r.effect).toBeCloseTo(0.7 / 0.85, 12);
  });

  it.each([
    ['no items', { count: 0, mean: 0, variance: 0 }, { count: 0, mean: 0, variance: 0 }],
    ['identical', { count: 40, mean: 0.8, variance: 0.02 }, { count: 40, mean: 0.8, variance: 0.02 }],
    ['constant scores', { count: 40, mean: 1, variance: 0 }, { count: 40, mean: 1, variance: 0 }],
    ['both zero', { count: 40, mean: 0, variance: 0 }, { count: 40, mean: 0, variance: 0 }],
  ])('when %s then not significant and no NaN', (_name, canary, stable) => {
    const r = compareMeans(canary, stable, config);
    expect(r.significant).toBe(false);
    expect(Number.isNaN(r.pValue) || Number.isNaN(r.effect)).toBe(false);
  });
});
