import { describe, expect, it } from 'vitest';
import { score, type ScoredCheck, type Verdict } from '../../../metrics-provider/judge/index.js';

const check = (name: string, verdict: Verdict, weight = 1, critical = false): ScoredCheck => ({
  name,
  weight,
  critical,
  classification: {
    label: verdict === 'pass' ? 'Pass' : verdict === 'fail' ? 'High' : 'NoData',
    verdict,
    reason: `${name} ${verdict}`,
    deviation: undefined,
  },
});

describe('score', () => {
  it.each<[string, ScoredCheck[], Verdict, number]>([
    ['no checks', [], 'inconclusive', 0],
    ['all pass', [check('a', 'pass'), check('b', 'pass')], 'pass', 100],
    ['a critical check fails', [check('a', 'pass', 10), check('b', 'fail', 1, true)], 'fail', 0],
    [
      'one of four fails: marginal',
      [check('a', 'pass'), check('b', 'pass'), check('c', 'pass'), check('d', 'fail')],
      'inconclusive',
      75,
    ],
    ['one of three fails', [check('a', 'pass'), check('b', 'pass'), check('c', 'fail')], 'fail', 66.7],
    ['a light check fails among heavy ones', [check('a', 'pass', 19), check('b', 'fail', 1)], 'pass', 95],
    ['half the weight has no data', [check('a', 'pass'), check('b', 'inconclusive')], 'inconclusive', 100],
    [
      'a minority has no data',
      [check('a', 'pass'), check('b', 'pass'), check('c', 'inconclusive')],
      'pass',
      100,
    ],
    [
      'a critical check has no data',
      [check('a', 'pass', 5), check('b', 'pass', 5), check('c', 'inconclusive', 1, true)],
      'inconclusive',
      100,
    ],
    ['a marginal score', [check('a', 'pass', 9), check('b', 'fail', 1)], 'inconclusive', 90],
    ['everything failed', [check('a', 'fail'), check('b', 'fail')], 'fail', 0],
  ])('when %s then %s with score %s', (_name, checks, verdict, value) => {
    const result = score(checks);
    expect(result.verdict).toBe(verdict);
    expect(result.score).toBe(value);
  });

  it('when the failure is critical then the reason names the check', () => {
    expect(score([check('latency', 'fail', 1, true)]).reason).toBe(
      'critical check latency failed: latency fail',
    );
  });
});

describe('score when a critical check has no data', () => {
  it('when the critical check is inconclusive then the reason names it', () => {
    const checks = [check('a', 'pass', 5), check('latency', 'inconclusive', 1, true)];
    expect(score(checks).reason).toBe('critical check latency could not be judged: latency inconclusive');
  });
});
