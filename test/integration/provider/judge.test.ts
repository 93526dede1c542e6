// The statistical judge end to end on real Prometheus: a canary 40% slower than stable, still under every fixed
// threshold of the usual recipe (p95 < 2 s), fails; an identical canary passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPath, startFixture, type Fixture } from './fixture.js';

/** e2e around 0.75 s median and 1.0 s p95 virtual: prefill 0.15 s, 30 tokens at 20 ms. */
const STABLE = {
  ttft: { median: 0.15, sigma: 0.3 },
  interTokenLatency: { median: 0.02, sigma: 0.15 },
  outputTokens: { median: 30, sigma: 0.2 },
};
const SLOWER = {
  ...STABLE,
  ttft: { median: 0.21, sigma: 0.3 },
  interTokenLatency: { median: 0.028, sigma: 0.15 },
};

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture([
    { hash: 'stable', requests: 1500, profile: STABLE },
    { hash: 'same', requests: 150, profile: STABLE },
    { hash: 'slower', requests: 150, profile: SLOWER },
  ]);
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

describe('the statistical judge on real Prometheus', () => {
  it('when the canary is 40% slower but under 2 s then the fixed threshold passes it and the judge fails it', async () => {
    const fixed = await fixture.get(checkPath('latency', 'slower', { max: 2, test: 'false' }));
    expect(fixed.body.verdict).toBe('pass');
    expect(fixed.body.value as number).toBeLessThan(2);

    const judged = await fixture.get(checkPath('latency', 'slower'));
    expect(judged.body.verdict, String(judged.body.reason)).toBe('fail');
    const test = judged.body.test as { pValue: number; alpha: number; effect: number; significant: boolean };
    expect(test.significant).toBe(true);
    expect(test.pValue).toBeLessThan(test.alpha);
    expect(test.effect).toBeGreaterThan(1.1);
    expect(judged.body.reason).toMatch(/Mann-Whitney/);
  });

  it('when the canary is identical then the judge passes it', async () => {
    const { body } = await fixture.get(checkPath('latency', 'same'));
    expect(body.verdict, String(body.reason)).toBe('pass');
    expect((body.test as { significant: boolean }).significant).toBe(false);
  });
});
