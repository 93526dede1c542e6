// The provider against real Prometheus scraping emulators: each kind of bad canary fails the check made for it,
// a healthy one passes them all, an idle one is inconclusive, and Prometheus going away is an error, never a pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPath, startFixture, type Fixture } from './fixture.js';

const REQUESTS = 300;
let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture([
    { hash: 'stable', requests: REQUESTS },
    { hash: 'healthy', requests: REQUESTS },
    {
      hash: 'slow',
      requests: REQUESTS,
      profile: { ttft: { median: 0.3, sigma: 0.3 }, interTokenLatency: { median: 0.075, sigma: 0.2 } },
    },
    { hash: 'errors', requests: REQUESTS, profile: { errorRate: 0.1 } },
    { hash: 'kv-full', requests: REQUESTS, profile: { kvCache: { base: 0.97, perRunning: 0 } } },
    { hash: 'legacy', requests: REQUESTS, generation: 'legacy' },
    { hash: 'idle', requests: 0 },
  ]);
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

describe('provider checks on real Prometheus', () => {
  it.each([
    ['latency', { maxRatio: 1.5 }],
    ['latency', { signal: 'ttft', maxRatio: 1.5 }],
    ['latency', { signal: 'itl', maxRatio: 1.5 }],
    ['error-ratio', { max: 0.02 }],
    ['kv-cache', { max: 0.9 }],
    ['queue', {}],
  ])('when the canary is healthy then %s %j passes', async (check, params) => {
    const { status, body } = await fixture.get(checkPath(check, 'healthy', params));
    expect(status).toBe(200);
    expect(body.verdict, String(body.reason)).toBe('pass');
    expect((body.samples as { canary: number }).canary).toBeGreaterThanOrEqual(50);
  });

  it('when the canary is 3x slower then latency fails with both figures in the answer', async () => {
    const { status, body } = await fixture.get(checkPath('latency', 'slow', { maxRatio: 1.5 }));
    expect(status).toBe(200);
    expect(body.verdict).toBe('fail');
    const value = body.value as number;
    const baseline = body.baseline as number;
    expect(value / baseline).toBeGreaterThan(2);
    expect(body.reason).toMatch(
      /^p95 e2e latency: canary [\d.]+m?s vs stable [\d.]+m?s, ratio [\d.]+ beyond 1.5, Mann-Whitney U on buckets p=\S+ < 0.0020$/,
    );
    expect(body.metric).toBe('vllm:e2e_request_latency_seconds');
  });

  it('when 10% of canary requests answer 5xx then error-ratio fails', async () => {
    const { body } = await fixture.get(checkPath('error-ratio', 'errors', { max: 0.02 }));
    expect(body.verdict).toBe('fail');
    expect(body.value as number).toBeGreaterThan(0.05);
    expect(body.value as number).toBeLessThan(0.16);
    expect(body.baseline).toBe(0);
  });

  it('when the canary KV cache sits at 0.97 then kv-cache fails', async () => {
    const { body } = await fixture.get(checkPath('kv-cache', 'kv-full'));
    expect(body.verdict).toBe('fail');
    expect(body.value as number).toBeCloseTo(0.97, 2);
    expect(body.reason).toContain('beyond the limit 90%');
  });

  it.each(['latency', 'error-ratio', 'kv-cache', 'queue'])(
    'when the canary gets no traffic then %s is inconclusive',
    async (check) => {
      const { status, body } = await fixture.get(checkPath(check, 'idle', { maxRatio: 1.5 }));
      expect(status).toBe(200);
      expect(body.verdict).toBe('inconclusive');
    },
  );

  it('when the canary exposes the legacy metric names then inter-token latency and KV cache still resolve', async () => {
    const itl = await fixture.get(checkPath('latency', 'legacy', { signal: 'itl', maxRatio: 1.5 }));
    expect(itl.body.verdict, String(itl.body.reason)).toBe('pass');
    expect(itl.body.metric).toBe('vllm:time_per_output_token_seconds');
    const kv = await fixture.get(checkPath('kv-cache', 'legacy'));
    expect(kv.body.verdict, String(kv.body.reason)).toBe('pass');
    expect(kv.body.metric).toBe('vllm:gpu_cache_usage_perc');
    expect(kv.body.baseline).not.toBeNull();
  });

  it('when several checks are asked in one composite call then the critical failure decides', async () => {
    const { status, body } = await fixture.post('/api/v1/analysis', {
      namespace: 'llm',
      model: 'llama-3-8b',
      canary: 'errors',
      stable: 'stable',
      window: '2m',
      checks: [
        { check: 'latency', maxRatio: 1.5 },
        { check: 'error-ratio', max: 0.02, critical: true },
        { check: 'kv-cache' },
      ],
    });
    expect(status).toBe(200);
    expect(body.verdict).toBe('fail');
    expect(body.reason).toMatch(/^critical check error-ratio#1 failed/);
    expect((body.checks as { verdict: string }[]).map((c) => c.verdict)).toEqual(['pass', 'fail', 'pass']);
  });

  it('when the same question is asked twice then the second costs no Prometheus query', async () => {
    const before = fixture.queries.length;
    await fixture.get(checkPath('queue', 'healthy', { window: '3m' }));
    const after = fixture.queries.length;
    await fixture.get(checkPath('queue', 'healthy', { window: '3m' }));
    expect(after).toBeGreaterThan(before);
    expect(fixture.queries.length).toBe(after);
  });

  it('when Prometheus is stopped then every check answers a non-2xx JSON error', async () => {
    await fixture.prometheus.stop();
    for (const check of ['latency', 'error-ratio', 'kv-cache', 'queue']) {
      const { status, body } = await fixture.get(checkPath(check, 'healthy', { window: '4m', maxRatio: 2 }));
      expect(status).toBe(502);
      expect((body.error as { code: string }).code).toBe('backend_unreachable');
    }
    const ready = await fixture.get('/readyz');
    expect(ready.status).toBe(503);
  });
});
