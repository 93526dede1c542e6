import { describe, expect, it } from 'vitest';
import {
  defaultProfile,
  drawLatency,
  drawOutcome,
  kvCacheUsage,
  mergeProfile,
  preemptionProbability,
  type Profile,
} from '../../../emulator/index.js';

const profile: Profile = mergeProfile(defaultProfile, {
  queueWait: { median: 0.01, sigma: 0.3 },
  ttft: { median: 0.2, sigma: 0.5 },
  interTokenLatency: { median: 0.03, sigma: 0.2 },
  outputTokens: { median: 50, sigma: 0.4 },
  loadFactor: 0.05,
});

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('latency drawing', () => {
  it('when the same request is drawn twice then the draws are identical', () => {
    expect(drawLatency(profile, { seed: 5, requestIndex: 12 })).toEqual(
      drawLatency(profile, { seed: 5, requestIndex: 12 }),
    );
  });

  it('when the error rate changes then the latency draws of a request do not', () => {
    const faulty = mergeProfile(profile, { errorRate: 0.5, abortRate: 0.3 });
    expect(drawLatency(faulty, { seed: 5, requestIndex: 3 })).toEqual(
      drawLatency(profile, { seed: 5, requestIndex: 3 }),
    );
  });

  it('when 10 other requests run then prefill and every gap are 1 + 10k times longer and the queue wait is unchanged', () => {
    const idle = drawLatency(profile, { seed: 1, requestIndex: 0, running: 0 });
    const busy = drawLatency(profile, { seed: 1, requestIndex: 0, running: 10 });
    expect(busy.loadMultiplier).toBeCloseTo(1.5, 12);
    expect(busy.ttftSeconds).toBeCloseTo(idle.ttftSeconds * 1.5, 12);
    expect(busy.decodeSeconds).toBeCloseTo(idle.decodeSeconds * 1.5, 12);
    expect(busy.queueWaitSeconds).toBe(idle.queueWaitSeconds);
  });

  it.each([
    { when: 'nobody else runs', running: 0, multiplier: 1 },
    { when: '20 others run', running: 20, multiplier: 2 },
  ])(
    'when $when then over 4000 requests the medians are the configured ones times $multiplier (within 5%)',
    ({ running, multiplier }) => {
      const draws = Array.from({ length: 4000 }, (_, requestIndex) =>
        drawLatency(profile, { seed: 77, requestIndex, running }),
      );
      const within = (actual: number, expected: number): void => {
        expect(actual).toBeGreaterThan(expected * 0.95);
        expect(actual).toBeLessThan(expected * 1.05);
      };
      within(median(draws.map((draw) => draw.queueWaitSeconds)), 0.01);
      within(median(draws.map((draw) => draw.ttftSeconds)), 0.2 * multiplier);
      within(median(draws.flatMap((draw) => draw.interTokenSeconds)), 0.03 * multiplier);
      within(median(draws.map((draw) => draw.outputTokens)), 50);
    },
  );

  it.each([
    { when: 'max_tokens is below the drawn count', input: { maxTokens: 5 }, tokens: 5, reason: 'length' },
    {
      when: 'a fixed answer fits in max_tokens',
      input: { maxTokens: 10, outputTokens: 3 },
      tokens: 3,
      reason: 'stop',
    },
    {
      when: 'a fixed answer is longer than max_tokens',
      input: { maxTokens: 2, outputTokens: 3 },
      tokens: 2,
      reason: 'length',
    },
    {
      when: 'no max_tokens is given and the profile caps at 7',
      input: {},
      tokens: 7,
      reason: 'length',
      cap: 7,
    },
  ])('when $when then $tokens tokens finish with $reason', ({ input, tokens, reason, cap }) => {
    const capped = cap === undefined ? profile : mergeProfile(profile, { maxOutputTokens: cap });
    const draw = drawLatency(capped, { seed: 1, requestIndex: 0, ...input });
    expect(draw.outputTokens).toBe(tokens);
    expect(draw.finishedReason).toBe(reason);
    expect(draw.interTokenSeconds).toHaveLength(tokens - 1);
  });
});

describe('outcome drawing', () => {
  it.each([
    { field: 'errorRate', rate: 0.1, pick: (o: ReturnType<typeof drawOutcome>) => o.error },
    { field: 'abortRate', rate: 0.25, pick: (o: ReturnType<typeof drawOutcome>) => o.aborted },
    { field: 'timeoutRate', rate: 0.05, pick: (o: ReturnType<typeof drawOutcome>) => o.stalled },
  ])(
    'when $field is $rate then the share over 10000 requests is within 4 binomial sigmas',
    ({ field, rate, pick }) => {
      const configured = mergeProfile(defaultProfile, { [field]: rate });
      const count = 10_000;
      const hits = Array.from({ length: count }, (_, index) => drawOutcome(configured, 3, index)).filter(
        pick,
      ).length;
      const sigma = Math.sqrt(count * rate * (1 - rate));
      expect(Math.abs(hits - count * rate)).toBeLessThan(4 * sigma);
    },
  );

  it('when hang is set then every request stalls', () => {
    const hanging = mergeProfile(defaultProfile, { hang: true });
    expect(
      Array.from({ length: 100 }, (_, index) => drawOutcome(hanging, 1, index).stalled).every(Boolean),
    ).toBe(true);
  });

  it('when a request errors then it neither stalls nor aborts', () => {
    const all = mergeProfile(defaultProfile, { errorRate: 1, abortRate: 1, hang: true });
    expect(drawOutcome(all, 1, 0)).toMatchObject({ error: true, stalled: false, aborted: false });
  });
});

describe('KV cache and preemption', () => {
  const kv = mergeProfile(defaultProfile, {
    kvCache: { base: 0.1, perRunning: 0.1 },
    preemption: { probability: 0.01, probabilityAtFull: 0.21, threshold: 0.8 },
  });

  it.each([
    { running: 0, usage: 0.1 },
    { running: 4, usage: 0.5 },
    { running: 9, usage: 1 },
    { running: 50, usage: 1 },
  ])('when $running requests run then KV usage is $usage', ({ running, usage }) => {
    expect(kvCacheUsage(kv, running)).toBeCloseTo(usage, 12);
  });

  it.each([
    { usage: 0.5, probability: 0.01 },
    { usage: 0.8, probability: 0.01 },
    { usage: 0.9, probability: 0.11 },
    { usage: 1, probability: 0.21 },
  ])('when KV usage is $usage then the preemption probability is $probability', ({ usage, probability }) => {
    expect(preemptionProbability(kv, usage)).toBeCloseTo(probability, 12);
  });
});
