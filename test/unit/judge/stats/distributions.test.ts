import { describe, expect, it } from 'vitest';
import { stats } from '../../../../metrics-provider/judge/index.js';

describe('normal and Student t tails (against published tables)', () => {
  it.each([
    ['z = 0', 0, 0.5],
    ['z = 1', 1, 0.158655254],
    ['z = 1.644854 (the 95th percentile)', 1.644854, 0.05],
    ['z = 1.959964', 1.959964, 0.025],
    ['z = 2.326348', 2.326348, 0.01],
    ['z = 3.090232', 3.090232, 0.001],
    ['z = -1', -1, 0.841344746],
  ])('when %s then P(Z > z) matches the table', (_name, z, expected) => {
    expect(stats.normalUpperTail(z)).toBeCloseTo(expected, 6);
    expect(stats.normalCdf(z)).toBeCloseTo(1 - expected, 6);
  });

  it.each([
    [0.5, 0],
    [0.975, 1.959964],
    [0.002, -2.878162],
    [0.999, 3.090232],
  ])('when p = %f then the normal quantile is %f', (p, z) => {
    expect(stats.normalQuantile(p)).toBeCloseTo(z, 5);
  });

  it.each([
    ['t = 2.228, 10 df', 2.228, 10, 0.025],
    ['t = 2.015, 5 df', 2.015, 5, 0.05],
    ['t = 2.528, 20 df', 2.528, 20, 0.01],
    ['t = 6.314, 1 df', 6.314, 1, 0.05],
    ['t = 0, 7 df', 0, 7, 0.5],
    ['t = -2.228, 10 df', -2.228, 10, 0.975],
  ])('when %s then P(T > t) matches the table', (_name, t, df, expected) => {
    expect(stats.studentTUpperTail(t, df)).toBeCloseTo(expected, 4);
  });

  it('when the special functions meet values known in closed form then they agree', () => {
    expect(stats.logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(stats.logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(Math.exp(stats.logChoose(20, 5))).toBeCloseTo(15504, 6);
    // I_0.3(2, 3) = Σ_{j=2..4} C(4, j) 0.3^j 0.7^(4-j) = 0.2646 + 0.0756 + 0.0081
    expect(stats.regularizedBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 10);
    expect(stats.regularizedBeta(0, 2, 3)).toBe(0);
    expect(stats.regularizedBeta(1, 2, 3)).toBe(1);
  });
});

describe('perLookAlpha (Šidák)', () => {
  it.each([
    ['one look keeps the whole level', 0.99, 1, 0.01],
    ['5 looks at 99%', 0.99, 5, 0.0020080483],
    ['10 looks at 95%', 0.95, 10, 0.0051161969],
    ['looks below 1 count as one', 0.99, 0, 0.01],
  ])('when %s then alpha is Šidák level', (_name, confidence, looks, expected) => {
    expect(stats.perLookAlpha(confidence, looks)).toBeCloseTo(expected, 9);
  });

  it('when K looks are independent then the run-wide false-fail rate is exactly 1 - confidence', () => {
    const alpha = stats.perLookAlpha(0.99, 5);
    expect(1 - (1 - alpha) ** 5).toBeCloseTo(0.01, 12);
  });
});
