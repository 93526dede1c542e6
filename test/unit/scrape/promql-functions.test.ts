// Hand-computed increase() values. Each was also checked against Prometheus 2.42 (`promtool test rules`), whose
// arithmetic is "prometheus-2-early"; the other semantics differ only where a test says so.
import { describe, expect, it } from 'vitest';
import {
  avgOverTime,
  extrapolatedIncrease,
  maxOverTime,
  type Points,
  type PromqlSemantics,
} from '../../../metrics-provider/sources/scrape/index.js';

/** Samples as [seconds, value] pairs. */
const pts = (pairs: readonly (readonly [number, number])[]): Points => ({
  t: pairs.map(([t]) => t * 1000),
  v: pairs.map(([, v]) => v),
});
const all: PromqlSemantics[] = ['prometheus-2-early', 'prometheus-2', 'prometheus-3'];

describe('extrapolatedIncrease', () => {
  it.each(all)(
    'when samples are regular and near both edges then it extrapolates to the window (%s)',
    (sem) => {
      // 1/s from t=5 to t=50; window [0, 60]: sampled 45 s, 5 s to the start, 10 s to the end, both < 1.1 x 15 s.
      // 45 x (45 + 5 + 10) / 45 = 60.
      const p = pts([
        [5, 10],
        [20, 25],
        [35, 40],
        [50, 55],
      ]);
      expect(extrapolatedIncrease(p, 0, 60_000, sem)).toBe(60);
    },
  );

  it.each(all)(
    'when the series starts inside the window then it extends only half an interval back (%s)',
    (sem) => {
      // first sample 40 s after the window start (>= 16.5 s): start 7.5 s before it; end 5 s away: to the edge.
      // 45 x (45 + 7.5 + 5) / 45 = 57.5.
      const p = pts([
        [40, 100],
        [55, 115],
        [70, 130],
        [85, 145],
      ]);
      expect(extrapolatedIncrease(p, 0, 90_000, sem)).toBeCloseTo(57.5, 12);
    },
  );

  it.each(all)(
    'when the series ends inside the window then it extends only half an interval on (%s)',
    (sem) => {
      // last sample 25 s before the end (>= 16.5 s): 7.5 s; the first sample is 0, so no room before it.
      // 30 x (30 + 0 + 7.5) / 30 = 37.5.
      const p = pts([
        [5, 0],
        [20, 15],
        [35, 30],
      ]);
      expect(extrapolatedIncrease(p, 0, 60_000, sem)).toBe(37.5);
    },
  );

  it.each(all)('when extrapolating back would go below zero then it stops at zero (%s)', (sem) => {
    // Counter at 3 at t=40 rising 1/s: it was 0 three seconds earlier, less than the 7.5 s half interval.
    // 45 x (45 + 3 + 5) / 45 = 53.
    const p = pts([
      [40, 3],
      [55, 18],
      [70, 33],
      [85, 48],
    ]);
    expect(extrapolatedIncrease(p, 0, 90_000, sem)).toBeCloseTo(53, 12);
  });

  it('when the zero point lies between half an interval and the threshold then the releases differ', () => {
    // Counter at 10 at t=40 rising 1/s: zero 10 s before the first sample; the series starts 40 s into the window.
    // Before the 2024 fix (2.42): the zero point first (10 s < 16.5 s): 45 x (45 + 10 + 5) / 45 = 60.
    // Since: the half interval first (7.5 s), then the zero point only if nearer: 45 x (45 + 7.5 + 5) / 45 = 57.5.
    const p = pts([
      [40, 10],
      [55, 25],
      [70, 40],
      [85, 55],
    ]);
    expect(extrapolatedIncrease(p, 0, 90_000, 'prometheus-2-early')).toBe(60);
    expect(extrapolatedIncrease(p, 0, 90_000, 'prometheus-2')).toBeCloseTo(57.5, 12);
    expect(extrapolatedIncrease(p, 0, 90_000, 'prometheus-3')).toBeCloseTo(57.5, 12);
  });

  it.each(all)('when the counter resets then the value before the reset is added back (%s)', (sem) => {
    // 10 -> 25 (+15), reset, 5 (+5 from zero), -> 20 (+15): 35 over the samples, then 35 x 60 / 45.
    const p = pts([
      [5, 10],
      [20, 25],
      [35, 5],
      [50, 20],
    ]);
    expect(extrapolatedIncrease(p, 0, 60_000, sem)).toBeCloseTo(46.666666666666664, 12);
  });

  it.each(all)('when a bucket did not move then the increase is exactly zero (%s)', (sem) => {
    const p = pts([
      [5, 7],
      [20, 7],
      [35, 7],
    ]);
    expect(extrapolatedIncrease(p, 0, 60_000, sem)).toBe(0);
  });

  it.each(all)('when the result is not a whole number then it is kept as is (%s)', (sem) => {
    // 3 over 30 s sampled, 3 s to the start and 4 s to the end: 3 x 37 / 30 = 3.7.
    const p = pts([
      [3, 1],
      [18, 2],
      [33, 4],
    ]);
    expect(extrapolatedIncrease(p, 0, 37_000, sem)).toBeCloseTo(3.7, 12);
  });

  it.each(all)('when there are fewer than two samples then there is no result (%s)', (sem) => {
    expect(extrapolatedIncrease(pts([[5, 10]]), 0, 60_000, sem)).toBeUndefined();
    expect(extrapolatedIncrease(pts([]), 0, 60_000, sem)).toBeUndefined();
  });

  it.each(all)('when samples are irregular then the threshold follows their average spacing (%s)', (sem) => {
    // Samples at 10, 12, 40: average 15 s, threshold 16.5 s; start 10 s away (extrapolate), end 20 s (half: 7.5).
    // 6 x (30 + 10 + 7.5) / 30 = 9.5; the zero point (30 x 2 / 6 = 10 s back) is not nearer than 10 s.
    const p = pts([
      [10, 2],
      [12, 3],
      [40, 8],
    ]);
    expect(extrapolatedIncrease(p, 0, 60_000, sem)).toBeCloseTo(9.5, 12);
  });
});

describe('gauge functions over one series', () => {
  it.each([
    ['ordinary values', [0.2, 0.9, 0.4], 0.9, 0.5],
    ['one value', [0.3], 0.3, 0.3],
    ['NaN among numbers (max skips it, avg does not)', [Number.NaN, 2, 1], 2, Number.NaN],
    ['only NaN', [Number.NaN], Number.NaN, Number.NaN],
  ])('when the window holds %s then max and avg are as in Prometheus', (_what, values, max, avg) => {
    expect(maxOverTime(values)).toBe(max);
    const got = avgOverTime(values)!;
    if (Number.isNaN(avg)) expect(got).toBeNaN();
    else expect(got).toBeCloseTo(avg, 12);
  });

  it('when the window is empty then both are undefined', () => {
    expect(maxOverTime([])).toBeUndefined();
    expect(avgOverTime([])).toBeUndefined();
  });

  it('when many small values are averaged then the compensated sum keeps them exact', () => {
    const values = [1e16, 1, 1, 1, 1, -1e16];
    expect(avgOverTime(values)).toBe(4 / 6);
  });
});
