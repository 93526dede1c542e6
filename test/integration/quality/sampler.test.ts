import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import {
  createQualityService,
  prometheusQualityObservation,
  qualityObservation,
  parseDataset,
  type QualityService,
  type QualityServiceOptions,
} from '../../../metrics-provider/quality/index.js';
import { startFakeOpenAi, type Behaviour, type FakeServer } from './fake-openai.js';

const DATASET = parseDataset(
  `name: four
items:
  - { id: right, messages: [{ role: user, content: q-right }], expected: 42, scorer: { type: numeric } }
  - { id: wrong, messages: [{ role: user, content: q-wrong }], expected: 42, scorer: { type: numeric } }
  - { id: error, messages: [{ role: user, content: q-error }], expected: 42, scorer: { type: numeric } }
  - { id: hang, prompt: q-hang, expected: 42, scorer: { type: numeric } }
`,
  'four.yaml',
);
const track = (value: string) => ({
  namespace: 'llm',
  model: 'tiny',
  by: 'pod-template-hash' as const,
  value,
});

const servers: FakeServer[] = [];
const services: QualityService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fake(behave: (prompt: string) => Behaviour): Promise<FakeServer> {
  const server = await startFakeOpenAi(behave);
  servers.push(server);
  return server;
}

function service(canary: FakeServer, stable: FakeServer, options: Partial<QualityServiceOptions> = {}) {
  const created = createQualityService({
    registry: new Registry(),
    datasets: [DATASET],
    budget: { requestsPerMinute: 60_000, concurrency: 8, burst: 8 },
    timeoutSeconds: 2,
    endpoints: { canary: canary.url, stable: stable.url, apiKey: 'sk-test' },
    ...options,
  });
  services.push(created);
  return created;
}

const scripted = (prompt: string): Behaviour =>
  ({ 'q-right': { answer: 'It is 42.' }, 'q-wrong': { answer: '41' }, 'q-error': { status: 500 } })[prompt] ??
  'hang';

describe('the sampler over HTTP', () => {
  it('when the canary answers right, wrong, 500 and never then each outcome is counted apart', async () => {
    const canary = await fake(scripted);
    const stable = await fake(() => ({ answer: '42' }));
    const registry = new Registry();
    const quality = service(canary, stable, { registry });

    const report = await quality.sampleNow({
      canary: track('c1'),
      stable: track('s1'),
      dataset: 'four',
      n: 4,
    });

    expect(report.counts.canary).toEqual({ answered: 2, failed: 1, error: 1, timeout: 1, cancelled: 0 });
    expect(report.counts.stable).toEqual({ answered: 4, failed: 0, error: 0, timeout: 0, cancelled: 0 });
    expect(report.scored).toBe(2);
    expect(report.complete).toBe(true);
    expect(new Set(canary.received.map((r) => r.prompt))).toEqual(
      new Set(stable.received.map((r) => r.prompt)),
    );

    const text = await registry.metrics();
    const line = (outcome: string) =>
      `vllm_canary_quality_requests_total{track="canary",dataset="four",namespace="llm",target="c1",outcome="${outcome}"} 1`;
    expect(text).toContain(line('error'));
    expect(text).toContain(line('timeout'));
    expect(text).toContain(
      'vllm_canary_quality_requests_total{track="canary",dataset="four",namespace="llm",target="c1",outcome="answered"} 2',
    );
    expect(text).toContain(
      'vllm_canary_quality_items_failed_total{track="canary",dataset="four",namespace="llm",target="c1"} 1',
    );
    expect(text).toContain(
      'vllm_canary_quality_score_count{track="stable",dataset="four",namespace="llm",target="s1"} 4',
    );
  });

  it('when an item is sent then the body has the model, temperature 0, max_tokens and the bearer key', async () => {
    const canary = await fake(() => ({ answer: '42' }));
    const stable = await fake(() => ({ answer: '42' }));
    await service(canary, stable, { maxTokens: 64 }).sampleNow({
      canary: track('c1'),
      stable: track('s1'),
      dataset: 'four',
      n: 4,
    });
    const chat = canary.received.find((r) => r.prompt === 'q-right')!;
    expect(chat).toMatchObject({
      path: '/v1/chat/completions',
      authorization: 'Bearer sk-test',
      body: {
        model: 'tiny',
        temperature: 0,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'q-right' }],
      },
    });
    expect(canary.received.find((r) => r.prompt === 'q-hang')).toMatchObject({
      path: '/v1/completions',
      body: { prompt: 'q-hang' },
    });
  });

  it('when the deadline passes first then unfinished requests are cancelled, not counted as timeouts', async () => {
    const canary = await fake(() => 'hang');
    const stable = await fake(() => ({ answer: '42' }));
    const registry = new Registry();
    const quality = service(canary, stable, { registry, timeoutSeconds: 30 });
    const started = Date.now();
    const report = await quality.sampleNow({
      canary: track('c1'),
      stable: track('s1'),
      dataset: 'four',
      n: 4,
      deadline: Date.now() + 300,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.counts.canary).toMatchObject({ answered: 0, timeout: 0, cancelled: 4 });
    expect(report.complete).toBe(false);
    expect(report.scored).toBe(0);
    expect(await registry.metrics()).not.toContain('target="c1",outcome="timeout"');
  });

  it('when the budget is 120 requests a minute then no more than the burst plus 2 a second arrive', async () => {
    const canary = await fake(() => ({ answer: '42' }));
    const stable = await fake(() => ({ answer: '42' }));
    const quality = service(canary, stable, { budget: { requestsPerMinute: 120, concurrency: 4, burst: 2 } });
    const started = Date.now();
    const report = await quality.sampleNow({
      canary: track('c1'),
      stable: track('s1'),
      dataset: 'four',
      n: 20,
      deadline: started + 2500,
    });
    const elapsedSeconds = (Date.now() - started) / 1000;
    const received = [...canary.received, ...stable.received].map((r) => r.at).sort((a, b) => a - b);
    // 40 requests wanted; the budget lets 2 go at once and 2 more every second.
    expect(received.length).toBeLessThanOrEqual(2 + Math.ceil(2 * elapsedSeconds));
    expect(received.length).toBeGreaterThanOrEqual(4);
    // Any one-second span holds at most the burst plus two.
    for (const [index, at] of received.entries()) {
      expect(
        received.filter((t) => t >= at && t < at + 1000).length,
        `from request ${index}`,
      ).toBeLessThanOrEqual(4);
    }
    expect(report.counts.canary.cancelled + report.counts.stable!.cancelled).toBeGreaterThan(0);
  });

  it('when the service closes during a sample then the sample ends with what it has', async () => {
    const canary = await fake(() => 'hang');
    const stable = await fake(() => ({ answer: '42' }));
    const quality = service(canary, stable, { timeoutSeconds: 30 });
    const sampling = quality.sampleNow({ canary: track('c1'), stable: track('s1'), dataset: 'four', n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await quality.close();
    await expect(sampling).resolves.toMatchObject({ complete: false, counts: { canary: { cancelled: 2 } } });
  });

  it('when the same sample is judged from memory and from its metrics then the figures agree', async () => {
    const canary = await fake((prompt) => (prompt === 'q-right' ? { answer: '42' } : { answer: '7' }));
    const stable = await fake(() => ({ answer: '42' }));
    const registry = new Registry();
    const quality = service(canary, stable, { registry });
    const report = await quality.sampleNow({
      canary: track('c1'),
      stable: track('s1'),
      dataset: 'four',
      n: 8,
    });

    // A stand-in for Prometheus right after one scrape: increase() over the window is the counter itself.
    const metrics = await registry.getMetricsAsJSON();
    const instantQuery = (promql: string) => {
      const [, name, matchers] = /^sum\(increase\(([a-z_]+)\{(.*)\}\[\d+s\]\)\)$/.exec(promql)!;
      const want = Object.fromEntries([...matchers!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      const family = metrics.find((m) => m.name === name || `${m.name}_count` === name);
      const values = (family?.values ?? []) as Array<{
        value: number;
        labels: Record<string, unknown>;
        metricName?: string;
      }>;
      const matching = values.filter(
        (v) =>
          (v.metricName ?? family!.name) === name &&
          Object.entries(want).every(([k, x]) => v.labels[k] === x),
      );
      return Promise.resolve(matching.length ? matching.reduce((a, v) => a + v.value, 0) : undefined);
    };
    const fromMetrics = await prometheusQualityObservation(instantQuery, {
      canary: { namespace: 'llm', value: 'c1' },
      stable: { namespace: 'llm', value: 's1' },
      dataset: 'four',
      windowSeconds: 300,
    });
    const fromMemory = qualityObservation(report.pairs, { paired: true, dataset: 'four' });
    expect(fromMemory).toEqual({ value: 0.25, baseline: 1, samples: { canary: 8, stable: 8 } });
    expect(fromMetrics.observation).toEqual(fromMemory);
  });
});
