import { describe, expect, it } from 'vitest';
import { classify, type CheckJudgement, type Observation } from '../../../metrics-provider/judge/index.js';

const latency: CheckJudgement = {
  direction: 'increase-is-bad',
  unit: 'seconds',
  figure: 'p95 e2e latency',
  limits: { absolute: 2, ratio: 1.2, minSamples: 50 },
};
const quality: CheckJudgement = {
  direction: 'decrease-is-bad',
  unit: 'score',
  figure: 'quality',
  limits: { absolute: 0.8, delta: 0.05, minSamples: 20 },
};
const obs = (
  value: number | undefined,
  baseline: number | undefined,
  canary = 100,
  stable = 1000,
): Observation => ({
  value,
  baseline,
  samples: { canary, stable },
});

describe('classify', () => {
  it.each([
    ['no canary value', latency, obs(undefined, 1), 'NoData', 'inconclusive', 'no canary data'],
    ['NaN canary value', latency, obs(Number.NaN, 1), 'NoData', 'inconclusive', 'no canary data'],
    [
      'too few canary samples',
      latency,
      obs(5, 1, 10),
      'NoData',
      'inconclusive',
      'only 10 canary samples, need 50',
    ],
    [
      'over the absolute limit',
      latency,
      obs(2.5, 1),
      'High',
      'fail',
      'beyond the limit 2.5s'.replace('2.5s', '2s'),
    ],
    ['ratio beyond the relative limit', latency, obs(1.5, 1), 'High', 'fail', 'ratio 1.50 beyond 1.2'],
    ['within every limit', latency, obs(1.1, 1), 'Pass', 'pass', 'within limits'],
    [
      'no stable data with a relative limit',
      latency,
      obs(1.1, undefined),
      'NoData',
      'inconclusive',
      'no stable data',
    ],
    [
      'too few stable samples',
      latency,
      obs(1.1, 1, 100, 3),
      'NoData',
      'inconclusive',
      'only 3 stable samples',
    ],
    ['faster than stable', latency, obs(0.5, 1), 'Pass', 'pass', 'within limits'],
    ['quality under the floor', quality, obs(0.7, 0.72, 40, 40), 'Low', 'fail', 'beyond the limit 0.8'],
    [
      'quality dropped more than allowed',
      quality,
      obs(0.85, 0.95, 40, 40),
      'Low',
      'fail',
      'worse, more than the allowed',
    ],
    ['quality better than stable', quality, obs(0.99, 0.9, 40, 40), 'Pass', 'pass', 'within limits'],
  ])('when %s', (_name, judgement, observation, label, verdict, reason) => {
    const result = classify(judgement, observation);
    expect(result.label).toBe(label);
    expect(result.verdict).toBe(verdict);
    expect(result.reason).toContain(reason);
    expect(result.reason.startsWith(judgement.figure)).toBe(true);
  });

  it('when a failing verdict is given then the reason carries both figures', () => {
    const result = classify(latency, obs(1.42, 1.01));
    expect(result.reason).toBe('p95 e2e latency: canary 1.42s vs stable 1.01s, ratio 1.41 beyond 1.2');
    expect(result.deviation).toBeCloseTo(1.406, 3);
  });

  it('when a test is significant and beyond tolerance then the check fails even under every limit', () => {
    const result = classify(
      { ...latency, limits: { minSamples: 50 } },
      {
        ...obs(1.3, 1),
        test: {
          name: 'rank test',
          pValue: 0.0001,
          alpha: 0.002,
          effect: 1.3,
          effectName: 'quantile ratio',
          significant: true,
          beyondTolerance: true,
        },
      },
    );
    expect(result.verdict).toBe('fail');
    expect(result.reason).toContain('rank test p=0.00010 < 0.0020');
  });

  it('when a test is significant but within tolerance then the check passes', () => {
    const result = classify(
      { ...latency, limits: { minSamples: 50 } },
      {
        ...obs(1.02, 1),
        test: {
          name: 'rank test',
          pValue: 0.0001,
          alpha: 0.002,
          effect: 1.02,
          effectName: 'quantile ratio',
          significant: true,
          beyondTolerance: false,
        },
      },
    );
    expect(result.verdict).toBe('pass');
  });

  it('when the check explains its missing data then that reason is shown', () => {
    const result = classify(quality, {
      ...obs(undefined, undefined),
      noDataReason: 'quality sampling is not configured',
    });
    expect(result.reason).toBe('quality: quality sampling is not configured');
  });
});

describe('classify when the comparison with stable was asked for', () => {
  const judgement: CheckJudgement = { ...latency, limits: { minSamples: 50 }, testRequired: true };

  it.each([
    ['stable has no data', obs(1, undefined), 'no stable data'],
    ['the test could not be run', obs(1, 1), 'the comparison with stable could not be run'],
  ])('when %s then the check is inconclusive, never a pass', (_name, observation, reason) => {
    const result = classify(judgement, observation);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toContain(reason);
  });
});

describe('classify when a relative limit meets the test', () => {
  const judgement: CheckJudgement = {
    ...latency,
    limits: { ratio: 1.2, minSamples: 50 },
    testRequired: true,
  };
  const test = (significant: boolean) => ({
    name: 'Mann-Whitney U on buckets',
    pValue: significant ? 0.0001 : 0.2,
    alpha: 0.002,
    effect: 1.3,
    effectName: 'p95 ratio',
    significant,
    beyondTolerance: true,
  });

  it('when the ratio is crossed but the test finds no significant difference then it is noise: pass', () => {
    const result = classify(judgement, { ...obs(1.3, 1), test: test(false) });
    expect(result.verdict).toBe('pass');
    expect(result.reason).toContain('ratio 1.30 beyond 1.2, but not significant');
  });

  it('when the ratio is crossed and the test is significant then it fails', () => {
    const result = classify(judgement, { ...obs(1.3, 1), test: test(true) });
    expect(result.verdict).toBe('fail');
    expect(result.reason).toBe(
      'p95 e2e latency: canary 1.3s vs stable 1s, ratio 1.30 beyond 1.2, Mann-Whitney U on buckets p=0.00010 < 0.0020',
    );
  });

  it('when the test is off then the ratio applies as it stands', () => {
    const result = classify({ ...judgement, testRequired: false }, obs(1.3, 1));
    expect(result.verdict).toBe('fail');
  });
});
