import { describe, expect, it } from 'vitest';
import { toHistogram } from '../../../metrics-provider/sources/prometheus/index.js';
import { UnexpectedDataError } from '../../../metrics-provider/errors.js';

const bucket = (le: string, value: number) => ({ labels: { le }, value });

describe('toHistogram', () => {
  it('when buckets arrive unordered and cumulative then they become ordered increments', () => {
    const h = toHistogram([bucket('+Inf', 10), bucket('0.5', 4), bucket('1', 9)], 'm');
    expect(h.upperBounds).toEqual([0.5, 1, Number.POSITIVE_INFINITY]);
    expect(h.counts).toEqual([4, 5, 1]);
  });

  it('when extrapolation makes a cumulative count dip then no bucket goes below zero', () => {
    const h = toHistogram([bucket('0.5', 4.2), bucket('1', 4.1), bucket('+Inf', 5)], 'm');
    expect(h.counts[1]).toBe(0);
    expect(h.counts[2]).toBeCloseTo(0.8, 10);
  });

  it.each([
    ['no +Inf bucket', [bucket('0.5', 1)], 'no +Inf bucket'],
    ['a NaN count', [bucket('0.5', Number.NaN), bucket('+Inf', 1)], 'NaN'],
    ['a bucket without le', [{ labels: {}, value: 1 }], 'without an le label'],
    ['an le that is not a number', [bucket('abc', 1), bucket('+Inf', 1)], 'not a number'],
  ])('when the answer has %s then it is unexpected data', (_name, vector, message) => {
    expect(() => toHistogram(vector, 'm')).toThrow(UnexpectedDataError);
    expect(() => toHistogram(vector, 'm')).toThrow(message);
  });
});
