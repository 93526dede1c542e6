// Every web template of the library, its args filled as Argo fills them, calls a real route of the running provider,
// and the answer put through the template's own jsonPath and conditions (by the local runner, with Argo's rules)
// gives the phase intended: Successful for a healthy canary, Failed for a bad one, Inconclusive without data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libraryTemplate, runAnalysis, type AnalysisTemplate } from '../../../analysis-runner/index.js';
import { startEmulator, type RunningEmulator } from '../../../emulator/index.js';
import {
  createLogger,
  loadConfig,
  startProvider,
  type RunningProvider,
} from '../../../metrics-provider/index.js';
import { answerBookFromDataset, defaultDataset } from '../../../metrics-provider/quality/index.js';
import { MODEL, NAMESPACE, startFixture, type Fixture } from './fixture.js';

/** One measurement of each metric, every failure or inconclusive one deciding: the run's phase is the measurement's. */
function singleLook(name: string): AnalysisTemplate {
  const template = libraryTemplate(name);
  for (const metric of template.spec.metrics) {
    const m = metric as {
      count?: unknown;
      interval?: unknown;
      failureLimit?: unknown;
      inconclusiveLimit?: unknown;
    };
    delete m.interval;
    m.count = 1;
    m.failureLimit = 0;
    m.inconclusiveLimit = 0;
  }
  return template;
}

async function phaseOf(
  template: string,
  providerUrl: string,
  canary: string,
  extra: Record<string, string> = {},
) {
  const result = await runAnalysis({
    templates: [singleLook(template)],
    args: {
      namespace: NAMESPACE,
      model: MODEL,
      'canary-hash': canary,
      'stable-hash': 'stable',
      'provider-url': providerUrl,
      window: '2m',
      ...extra,
    },
  });
  const reasons = result.metrics.flatMap((m) => m.measurements.map((x) => x.reason ?? x.message ?? ''));
  return { phase: result.phase, detail: `${result.message ?? ''} ${reasons.join(' | ')}` };
}

const SLOW = {
  ttft: { median: 0.3, sigma: 0.3 },
  interTokenLatency: { median: 0.075, sigma: 0.2 },
  queueWait: { median: 0.5, sigma: 0.3 },
};

describe('library templates against the running provider', () => {
  let fixture: Fixture;

  beforeAll(async () => {
    fixture = await startFixture([
      { hash: 'stable', requests: 400 },
      { hash: 'healthy', requests: 300 },
      { hash: 'slow', requests: 300, profile: SLOW },
      { hash: 'errors', requests: 300, profile: { errorRate: 0.15 } },
      { hash: 'kv-full', requests: 300, profile: { kvCache: { base: 0.97, perRunning: 0 } } },
      { hash: 'queued', requests: 300, profile: { maxRunning: 1 } },
      { hash: 'idle', requests: 0 },
    ]);
  }, 180_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it.each([
    ['vllm-latency', 'slow'],
    ['vllm-ttft', 'slow'],
    ['vllm-itl', 'slow'],
    ['vllm-error-ratio', 'errors'],
    ['vllm-kv-cache', 'kv-full'],
    ['vllm-queue', 'queued'],
    ['vllm-canary-health', 'errors'],
  ])(
    'when %s judges a healthy, a bad (%s) and an idle canary then Successful, Failed, Inconclusive',
    async (template, bad) => {
      const url = fixture.provider.url;
      const healthy = await phaseOf(template, url, 'healthy');
      expect(healthy.phase, healthy.detail).toBe('Successful');
      const failing = await phaseOf(template, url, bad);
      expect(failing.phase, failing.detail).toBe('Failed');
      const idle = await phaseOf(template, url, 'idle');
      expect(idle.phase, idle.detail).toBe('Inconclusive');
    },
  );
});

describe('the quality template against the running provider', () => {
  const emulators: RunningEmulator[] = [];
  const providers: RunningProvider[] = [];

  async function provider(canaryAccuracy: number): Promise<string> {
    const answerBook = answerBookFromDataset(defaultDataset());
    const start = (accuracy: number, seed: number) =>
      startEmulator({
        model: MODEL,
        generation: 'current',
        profile: { accuracy },
        seed,
        timeScale: 200,
        answerBook,
      });
    const [stable, canary] = [await start(0.95, 1), await start(canaryAccuracy, 2)];
    emulators.push(stable, canary);
    const config = loadConfig(undefined, { prometheusUrl: 'http://127.0.0.1:9', port: 0, host: '127.0.0.1' });
    const p = await startProvider(
      {
        ...config,
        quality: {
          ...config.quality,
          canaryUrl: canary.url,
          stableUrl: stable.url,
          requestsPerMinute: 60_000,
          concurrency: 8,
        },
      },
      { logger: createLogger('silent') },
    );
    providers.push(p);
    return p.url;
  }

  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close()));
    await Promise.all(emulators.map((e) => e.close()));
  });

  it.each([
    ['the canary answers as well as stable', 0.95, '42', 'Successful'],
    ['the canary answers right 50% of the time', 0.5, '42', 'Failed'],
    ['nothing has been sampled', 0.95, '0', 'Inconclusive'],
  ])('when %s then vllm-quality ends %s', async (_name, accuracy, sample, phase) => {
    const result = await phaseOf('vllm-quality', await provider(accuracy), 'canary', {
      'quality-sample': sample,
    });
    expect(result.phase, result.detail).toBe(phase);
  });
});
