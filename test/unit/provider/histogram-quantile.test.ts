import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../../metrics-provider/judge/index.js';

const inf = Number.POSITIVE_INFINITY;

describe('histogramQuantile (Prometheus interpolation)', () => {
  it.each([
    // 100 observations: 50 in (0, 0.5], 40 in (0.5, 1], 10 in (1, 2]
    ['the median at a bucket edge', 0.5, [0.5, 1, 2, inf], [50, 40, 10, 0], 0.5],
    ['p90 at the next edge', 0.9, [0.5, 1, 2, inf], [50, 40, 10, 0], 1],
    ['p95 interpolated inside (1, 2]', 0.95, [0.5, 1, 2, inf], [50, 40, 10, 0], 1.5],
    ['p25 inside the first bucket from 0', 0.25, [0.5, 1, 2, inf], [50, 40, 10, 0], 0.25],
    ['a rank in +Inf answers the highest finite bound', 0.99, [0.5, 1, 2, inf], [50, 40, 0, 10], 2],
    ['non-integer counts from increase()', 0.5, [1, 2, inf], [2.5, 2.5, 0], 1],
  ])('when %s then %d', (_name, q, bounds, counts, expected) => {
    expect(histogramQuantile(q, { upperBounds: bounds, counts })).toBeCloseTo(expected, 10);
  });

  it.each([
    ['empty', 0.95, [1, inf], [0, 0]],
    ['no +Inf bucket', 0.95, [1, 2], [1, 1]],
    ['a single bucket', 0.95, [inf], [3]],
  ])('when the histogram is %s then NaN', (_name, q, bounds, counts) => {
    expect(histogramQuantile(q, { upperBounds: bounds, counts })).toBeNaN();
  });

  it('when q is out of [0, 1] then it answers -Inf or +Inf as Prometheus does', () => {
    const h = { upperBounds: [1, inf], counts: [1, 0] };
    expect(histogramQuantile(-0.1, h)).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(1.1, h)).toBe(inf);
  });
});
