import { describe, expect, it } from 'vitest';
import { mixSeed, requestRandom } from '../../../emulator/random.js';

const take = (
  seed: number,
  index: number,
  purpose: 'latency' | 'outcome' | 'answer',
  count = 5,
): number[] => {
  const random = requestRandom(seed, index, purpose);
  return Array.from({ length: count }, () => random.next());
};

describe('seeded random streams', () => {
  it('when the same seed, request and purpose are asked twice then the numbers are identical', () => {
    expect(take(42, 7, 'latency')).toEqual(take(42, 7, 'latency'));
  });

  it.each([
    { when: 'the seed differs', a: [1, 0, 'latency'], b: [2, 0, 'latency'] },
    { when: 'the request index differs', a: [1, 0, 'latency'], b: [1, 1, 'latency'] },
    { when: 'the purpose differs', a: [1, 0, 'latency'], b: [1, 0, 'outcome'] },
    { when: 'the index differs only beyond 32 bits', a: [1, 1, 'answer'], b: [1, 2 ** 32 + 1, 'answer'] },
  ] as const)('when $when then the streams differ', ({ a, b }) => {
    expect(take(a[0], a[1], a[2])).not.toEqual(take(b[0], b[1], b[2]));
  });

  it('when many numbers are drawn then they are uniform in [0, 1)', () => {
    const random = requestRandom(3, 0, 'latency');
    const draws = Array.from({ length: 20_000 }, () => random.next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    // Standard error of the mean of U(0,1) over 20 000 draws is 0.002; allow 5 of them.
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('when a log-normal is drawn many times then its median is the configured one', () => {
    const random = requestRandom(9, 0, 'latency');
    const draws = Array.from({ length: 20_001 }, () => random.logNormal(0.2, 0.5)).sort((x, y) => x - y);
    expect(draws[10_000]).toBeGreaterThan(0.2 * 0.97);
    expect(draws[10_000]).toBeLessThan(0.2 * 1.03);
  });

  it('when seeds are mixed then the result is a 32-bit unsigned integer', () => {
    for (const parts of [[0], [1, 2, 3], [2 ** 40, -1]]) {
      const mixed = mixSeed(...parts);
      expect(Number.isInteger(mixed) && mixed >= 0 && mixed < 2 ** 32).toBe(true);
    }
  });
});
