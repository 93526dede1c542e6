import { describe, expect, it } from 'vitest';
import { classify, type CheckJudgement } from '../../../metrics-provider/judge/index.js';
import {
  prometheusQualityObservation,
  qualityObservation,
  type PairResult,
  type RequestOutcome,
} from '../../../metrics-provider/quality/index.js';

const answered = (score: number): RequestOutcome => ({
  outcome: 'answered',
  score,
  reason: '',
  latencyMs: 1,
});
const timeout: RequestOutcome = { outcome: 'timeout', reason: 'no answer within 1000 ms', latencyMs: 1000 };
const error: RequestOutcome = { outcome: 'error', reason: 'HTTP 500', latencyMs: 3 };

/** Pairs from two strings of outcomes: 1 right, 0 wrong, t timeout, e error. */
function pairs(canary: string, stable: string): PairResult[] {
  const of = (c: string) => (c === 't' ? timeout : c === 'e' ? error : answered(Number(c)));
  return [...canary].map((c, i) => ({
    itemId: `i${i}`,
    weight: 1,
    at: i,
    canary: of(c),
    stable: of(stable[i]!),
  }));
}

const judgement = (min?: number, maxDecrease?: number): CheckJudgement => ({
  direction: 'decrease-is-bad',
  unit: 'score',
  figure: 'quality on default',
  limits: { absolute: min, delta: maxDecrease, minSamples: 4 },
});
const TEST = { confidence: 0.99, looks: 1, tolerance: 1.03 };

describe('observation from stored pairs', () => {
  it.each([
    {
      when: 'both answered every item',
      canary: '1101',
      stable: '1111',
      value: 0.75,
      baseline: 1,
      samples: 4,
    },
    {
      when: 'errors and timeouts have no score and leave their pair out',
      canary: '1te01',
      stable: '11111',
      value: 2 / 3,
      baseline: 1,
      samples: 3,
    },
    { when: 'stable timed out on an item', canary: '101', stable: '1t1', value: 1, baseline: 1, samples: 2 },
  ])('when $when then value, baseline and samples are $value, $baseline, $samples', (row) => {
    const observation = qualityObservation(pairs(row.canary, row.stable), {
      paired: true,
      dataset: 'default',
    });
    expect(observation.value).toBeCloseTo(row.value, 10);
    expect(observation.baseline).toBeCloseTo(row.baseline, 10);
    expect(observation.samples).toEqual({ canary: row.samples, stable: row.samples });
  });

  it('when the canary timed out on every item then there is no value and the reason says so', () => {
    const observation = qualityObservation(pairs('tttt', '1111'), { paired: true, dataset: 'default' });
    expect(observation.value).toBeUndefined();
    expect(observation.noDataReason).toBe(
      'no item answered by both versions on default: canary 0 answered, 4 timeouts; stable 4 answered',
    );
    expect(classify(judgement(0.8), observation).verdict).toBe('inconclusive');
  });

  it('when nothing was sampled then the reason says how to sample', () => {
    expect(qualityObservation([], { paired: true, dataset: 'default' }).noDataReason).toBe(
      'no quality samples of dataset default in the window (sample=N asks for a fresh sample)',
    );
  });

  it('when items are weighted then the mean is weighted', () => {
    const weighted: PairResult[] = [
      { itemId: 'a', weight: 3, at: 0, canary: answered(1), stable: answered(1) },
      { itemId: 'b', weight: 1, at: 0, canary: answered(0), stable: answered(1) },
    ];
    expect(qualityObservation(weighted, { paired: true, dataset: 'd' }).value).toBe(0.75);
  });

  it('when no stable is named then canary items alone count', () => {
    const alone: PairResult[] = [
      { itemId: 'a', weight: 1, at: 0, canary: answered(1) },
      { itemId: 'b', weight: 1, at: 0, canary: answered(0) },
    ];
    const observation = qualityObservation(alone, { paired: false, dataset: 'd' });
    expect(observation).toEqual({ value: 0.5, baseline: undefined, samples: { canary: 2, stable: 0 } });
  });

  it.each([
    {
      when: 'canary is under the floor',
      canary: '11110000',
      stable: '11111111',
      min: 0.8,
      drop: undefined,
      verdict: 'fail',
    },
    {
      when: 'canary dropped more than allowed',
      canary: '11111110',
      stable: '11111111',
      min: undefined,
      drop: 0.1,
      verdict: 'fail',
    },
    {
      when: 'canary within both limits',
      canary: '11111111',
      stable: '11111110',
      min: 0.8,
      drop: 0.1,
      verdict: 'pass',
    },
    {
      when: 'too few items are paired',
      canary: '1tt1',
      stable: '1111',
      min: 0.5,
      drop: undefined,
      verdict: 'inconclusive',
    },
  ])('when $when then classify says $verdict', ({ canary, stable, min, drop, verdict }) => {
    const observation = qualityObservation(pairs(canary, stable), { paired: true, dataset: 'default' });
    expect(classify(judgement(min, drop), observation).verdict).toBe(verdict);
  });

  it('when a test is configured and the canary is clearly worse then the test is significant', () => {
    const observation = qualityObservation(pairs('1010101010'.repeat(6), '1'.repeat(59) + '0'), {
      paired: true,
      dataset: 'default',
      test: TEST,
    });
    expect(observation.test).toMatchObject({
      name: "Welch's t-test",
      significant: true,
      beyondTolerance: true,
    });
    expect(classify(judgement(), observation).verdict).toBe('fail');
  });
});

describe('observation from Prometheus', () => {
  const answers: Record<string, number> = {
    'vllm_canary_quality_score_count{dataset="default",namespace="llm",target="canary-hash"}': 40,
    'vllm_canary_quality_weights_total{dataset="default",namespace="llm",target="canary-hash"}': 40,
    'vllm_canary_quality_weighted_scores_total{dataset="default",namespace="llm",target="canary-hash"}': 32,
    'vllm_canary_quality_weighted_squared_scores_total{dataset="default",namespace="llm",target="canary-hash"}': 32,
    'vllm_canary_quality_score_count{dataset="default",namespace="llm",target="stable-hash"}': 40,
    'vllm_canary_quality_weights_total{dataset="default",namespace="llm",target="stable-hash"}': 40,
    'vllm_canary_quality_weighted_scores_total{dataset="default",namespace="llm",target="stable-hash"}': 38,
    'vllm_canary_quality_weighted_squared_scores_total{dataset="default",namespace="llm",target="stable-hash"}': 38,
  };
  const asked: string[] = [];
  const instantQuery = (promql: string) => {
    asked.push(promql);
    const inner = /^sum\(increase\((.*)\[300s\]\)\)$/.exec(promql)?.[1] ?? '';
    return Promise.resolve(answers[inner]);
  };

  it('when both tracks have scores then the means are sum over weight and the queries are listed', async () => {
    const found = await prometheusQualityObservation(instantQuery, {
      canary: { namespace: 'llm', value: 'canary-hash' },
      stable: { namespace: 'llm', value: 'stable-hash' },
      dataset: 'default',
      windowSeconds: 300,
      test: TEST,
    });
    expect(found.observation.value).toBeCloseTo(0.8, 10);
    expect(found.observation.baseline).toBeCloseTo(0.95, 10);
    expect(found.observation.samples).toEqual({ canary: 40, stable: 40 });
    expect(found.observation.test?.name).toBe("Welch's t-test");
    expect(found.metric).toBe('vllm_canary_quality_score');
    expect(found.queries).toContain(
      'sum(increase(vllm_canary_quality_weighted_scores_total{dataset="default",namespace="llm",target="canary-hash"}[300s]))',
    );
    expect(found.queries).toContain(
      'sum(increase(vllm_canary_quality_requests_total{dataset="default",namespace="llm",target="canary-hash",outcome="timeout"}[300s]))',
    );
  });

  it('when a value would break out of its quotes then it is escaped', async () => {
    asked.length = 0;
    await prometheusQualityObservation(instantQuery, {
      canary: { namespace: 'llm', value: 'x"} or vector(1) #' },
      dataset: 'default',
      windowSeconds: 300,
    });
    expect(asked[0]).toBe(
      'sum(increase(vllm_canary_quality_score_count{dataset="default",namespace="llm",target="x\\"} or vector(1) #"}[300s]))',
    );
  });

  it('when Prometheus has no series then there is no value and the reason names the target', async () => {
    const found = await prometheusQualityObservation(() => Promise.resolve(undefined), {
      canary: { namespace: 'llm', value: 'abc' },
      dataset: 'default',
      windowSeconds: 60,
    });
    expect(found.observation.value).toBeUndefined();
    expect(found.observation.noDataReason).toBe(
      'no scored quality samples of abc on default in Prometheus over 60s (canary errors 0, timeouts 0)',
    );
  });
});
