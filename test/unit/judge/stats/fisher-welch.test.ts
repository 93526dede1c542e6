import { describe, expect, it } from 'vitest';
import { stats } from '../../../../metrics-provider/judge/index.js';

describe("Fisher's exact test, one-sided", () => {
  it.each([
    // P(X >= 3) for X hypergeometric(30 requests, 10 canary, 4 failures) = (C(10,3)C(20,1) + C(10,4)C(20,0))/C(30,4)
    ['3/10 failed vs 1/20', [3, 10, 1, 20], (120 * 20 + 210) / 27405, 'greater'],
    // 0/10 vs 5/10: P(X <= 0) = C(10,0)C(10,5)/C(20,5) = 252/15504
    ['0/10 failed vs 5/10 (less)', [0, 10, 5, 10], 252 / 15504, 'less'],
    ['5/10 failed vs 0/10', [5, 10, 0, 10], 252 / 15504, 'greater'],
    // 2/2 vs 0/3: C(2,2)C(3,0)/C(5,2) = 1/10
    ['2/2 failed vs 0/3', [2, 2, 0, 3], 0.1, 'greater'],
    // scipy.stats.fisher_exact([[6, 294], [14, 2686]], alternative='greater')
    ['6/300 vs 14/2700', [6, 300, 14, 2700], 0.010978965646901855, 'greater'],
    ['1000/1e6 vs 900/1e6', [1000, 1e6, 900, 1e6], 0.0115218349773, 'greater'],
  ] as const)('when %s then p matches the hand computation', (_name, [xa, na, xb, nb], expected, side) => {
    const r = stats.fisherExact(xa, na, xb, nb);
    expect(side === 'greater' ? r.pGreater : r.pLess).toBeCloseTo(expected, 9);
  });

  it('when counts are non-integer then they are rounded to whole requests', () => {
    expect(stats.fisherExact(2.6, 10.4, 1.2, 20.3).pGreater).toBeCloseTo(
      stats.fisherExact(3, 10, 1, 20).pGreater,
      12,
    );
  });

  it.each([
    ['no requests at all', [0, 0, 0, 0]],
    ['no failures anywhere', [0, 300, 0, 3000]],
    ['everything failed', [300, 300, 3000, 3000]],
    ['the canary has no requests', [0, 0, 5, 100]],
    ['stable has no requests', [5, 100, 0, 0]],
    ['identical proportions', [5, 100, 50, 1000]],
    ['more failed than requests, NaN', [Number.NaN, 10, 20, 10]],
  ] as const)('when %s then no significance and no NaN', (_name, [xa, na, xb, nb]) => {
    const r = stats.fisherExact(xa, na, xb, nb);
    expect(Number.isNaN(r.pGreater)).toBe(false);
    expect(r.pGreater).toBeGreaterThan(0.05);
  });
});

describe("Welch's t-test from summaries", () => {
  it('when computed by hand then t, df and p agree', () => {
    // se = √(0.04/30 + 0.09/40) = 0.059861; t = -0.1/se = -1.670538; scipy: p(less) = 0.0497327
    const r = stats.welchTTest(
      { count: 30, mean: 0.7, variance: 0.04 },
      { count: 40, mean: 0.8, variance: 0.09 },
    );
    expect(r.t).toBeCloseTo(-1.670538, 5);
    expect(r.df).toBeCloseTo(67.18776, 4);
    expect(r.pLess).toBeCloseTo(0.0497327, 6);
  });

  it('when summaries come from sums then mean and sample variance follow', () => {
    // scores 0, 0.5, 1: sum 1.5, sum of squares 1.25
    expect(stats.summaryFromSums(3, 1.5, 1.25)).toEqual({ count: 3, mean: 0.5, variance: 0.25 });
    expect(stats.summaryFromSums(0, 0, 0)).toEqual({ count: 0, mean: 0, variance: 0 });
  });

  it.each([
    ['no items', { count: 0, mean: 0, variance: 0 }, { count: 0, mean: 0, variance: 0 }],
    ['one item each', { count: 1, mean: 0.2, variance: 0 }, { count: 1, mean: 0.9, variance: 0 }],
    ['identical', { count: 30, mean: 0.8, variance: 0.02 }, { count: 30, mean: 0.8, variance: 0.02 }],
    ['constant and equal', { count: 30, mean: 1, variance: 0 }, { count: 50, mean: 1, variance: 0 }],
    ['NaN mean', { count: 30, mean: Number.NaN, variance: 0.1 }, { count: 30, mean: 0.8, variance: 0.1 }],
  ])('when %s then no significance and no NaN', (_name, a, b) => {
    const r = stats.welchTTest(a, b);
    expect(Number.isNaN(r.pLess)).toBe(false);
    expect(r.pLess).toBeGreaterThan(0.05);
  });
});
