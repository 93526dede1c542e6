import { describe, expect, it } from 'vitest';
import { stats } from '../../../../metrics-provider/judge/index.js';

describe('Mann-Whitney exact null distribution', () => {
  it('when m = n = 3 then the 20 orderings spread over U = 0..9 as in Mann & Whitney (1947)', () => {
    expect(stats.mannWhitneyNullCounts(3, 3)).toEqual([1, 1, 2, 3, 3, 3, 3, 2, 1, 1]);
  });

  it.each([
    ['m = n = 3, U >= 9', 9, 3, 3, 1 / 20],
    ['m = n = 3, U >= 8', 8, 3, 3, 2 / 20],
    // Published table (Mann & Whitney 1947): n1 = n2 = 5, P(U <= 4) = 0.048 = P(U >= 21)
    ['m = n = 5, U >= 21', 21, 5, 5, 12 / 252],
    ['m = 4, n = 3, U >= 9', 9, 4, 3, 7 / 35],
    ['U >= 0 is certain', 0, 4, 6, 1],
  ])('when %s then P matches the exact count', (_name, u, m, n, expected) => {
    expect(stats.mannWhitneyExactUpperTail(u, m, n)).toBeCloseTo(expected, 12);
  });

  it('when small raw samples have no ties then the raw test answers the exact p-value', () => {
    // A = 1.1 2.2 3.3 4.4, B = 0.5 1.5 2.5: U = 1 + 2 + 3 + 3 = 9
    const r = stats.mannWhitneyRaw([1.1, 2.2, 3.3, 4.4], [0.5, 1.5, 2.5]);
    expect(r.u).toBe(9);
    expect(r.pGreater).toBeCloseTo(0.2, 12);
  });
});

describe('Mann-Whitney on buckets (tie-corrected normal approximation)', () => {
  it('when computed by hand then U, z and p agree', () => {
    // A = [1, 2, 3] and B = [3, 2, 1] in three buckets: U = 1·1.5 + 2·(3 + 1) + 3·(5 + 0.5) = 26;
    // Var = 36/12 · (13 - 3·(4³ - 4)/(12·11)) = 34.909; z = (26 - 18 - 0.5)/5.9084 = 1.26937; P(Z > z) = 0.102153
    const r = stats.mannWhitneyBinned([1, 2, 3, 0], [3, 2, 1, 0]);
    expect(r.u).toBe(26);
    expect(r.superiority).toBeCloseTo(26 / 36, 12);
    expect(r.pGreater).toBeCloseTo(0.1021526, 6);
    expect(r.pLess).toBeCloseTo(0.9248726, 6);
  });

  it('when integer counts are expanded into raw tied samples then both tests agree', () => {
    const a = [0, 4, 7, 2, 1];
    const b = [3, 9, 5, 1, 0];
    const expand = (counts: number[]) => counts.flatMap((c, i) => new Array<number>(c).fill(i));
    const binned = stats.mannWhitneyBinned(a, b);
    const raw = stats.mannWhitneyRaw(expand(a), expand(b));
    expect(binned.u).toBe(raw.u);
    expect(binned.pGreater).toBeCloseTo(raw.pGreater, 12);
  });

  it('when counts are non-integer (increase() extrapolated) then they act as weights', () => {
    const r = stats.mannWhitneyBinned([0, 5, 10, 2.5], [20, 10, 3, 0]);
    // U = 5·(20 + 5) + 10·(30 + 1.5) + 2.5·(33 + 0) = 522.5 of 17.5·33 pairs
    expect(r.u).toBeCloseTo(522.5, 12);
    expect(r.nA).toBe(17.5);
    expect(r.pGreater).toBeLessThan(1e-5);
  });

  it.each([
    ['both empty', [], []],
    ['all zero counts', [0, 0, 0], [0, 0, 0]],
    ['the canary empty', [0, 0, 0], [5, 3, 1]],
    ['stable empty', [5, 3, 1], [0, 0, 0]],
    ['identical histograms', [5, 3, 1], [5, 3, 1]],
    ['constant data (everything in one bucket)', [0, 40, 0], [0, 400, 0]],
    ['one observation each', [0, 0, 1], [1, 0, 0]],
    ['negative and NaN counts', [Number.NaN, -3, 2], [1, Number.NaN, -1]],
    ['non-integer identical counts', [0.4, 2.6, 1.5], [0.4, 2.6, 1.5]],
  ])('when %s then no significance and no NaN', (_name, a, b) => {
    const r = stats.mannWhitneyBinned(a, b);
    for (const value of [r.u, r.z, r.pGreater, r.pLess, r.superiority])
      expect(Number.isNaN(value)).toBe(false);
    expect(r.pGreater).toBeGreaterThan(0.05);
  });
});
