// The quality check through the provider's HTTP API: the provider samples both emulators with the default
// reference dataset on demand (sample=N) and judges the paired scores.
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/index.js';
import {
  createLogger,
  loadConfig,
  startProvider,
  type RunningProvider,
} from '../../../metrics-provider/index.js';
import { answerBookFromDataset, defaultDataset } from '../../../metrics-provider/quality/index.js';
import { MODEL } from './fixture.js';

let emulators: RunningEmulator[] = [];
let providers: RunningProvider[] = [];

async function providerFor(stableAccuracy: number, canaryAccuracy: number): Promise<RunningProvider> {
  const answerBook = answerBookFromDataset(defaultDataset());
  const [stable, canary] = await Promise.all(
    [stableAccuracy, canaryAccuracy].map((accuracy, i) =>
      startEmulator({
        model: MODEL,
        generation: 'current',
        profile: { accuracy },
        seed: 7 + i,
        timeScale: 200,
        answerBook,
      }),
    ),
  );
  emulators.push(stable!, canary!);
  const config = loadConfig(undefined, { prometheusUrl: 'http://127.0.0.1:9', port: 0, host: '127.0.0.1' });
  const provider = await startProvider(
    {
      ...config,
      quality: {
        ...config.quality,
        canaryUrl: canary!.url,
        stableUrl: stable!.url,
        requestsPerMinute: 60_000,
        concurrency: 8,
      },
    },
    { logger: createLogger('silent') },
  );
  providers.push(provider);
  return provider;
}

async function judge(provider: RunningProvider, extra = ''): Promise<Record<string, unknown>> {
  // Three looks of 42 items each (the whole default dataset), as the vllm-quality template asks every interval.
  let body: Record<string, unknown> = {};
  for (let look = 0; look < 3; look++) {
    const response = await fetch(
      `${provider.url}/api/v1/checks/quality?namespace=llm&model=${MODEL}&canary=canary&stable=stable&sample=42&minItems=40&maxDecrease=0.05&looks=3${extra}`,
    );
    expect(response.status).toBe(200);
    body = (await response.json()) as Record<string, unknown>;
  }
  return body;
}

afterAll(async () => {
  await Promise.all(providers.map((p) => p.close()));
  await Promise.all(emulators.map((e) => e.close()));
  providers = [];
  emulators = [];
});

describe('the quality check through the API', () => {
  it('when stable answers 95% right and the canary 80% then the check fails with both scores', async () => {
    const body = await judge(await providerFor(0.95, 0.8));
    expect(body.verdict, String(body.reason)).toBe('fail');
    expect(body.value as number).toBeLessThan(0.9);
    expect(body.baseline as number).toBeGreaterThan(0.88);
    expect((body.samples as { canary: number }).canary).toBeGreaterThanOrEqual(40);
    expect(body.reason).toMatch(/^quality on default: canary [\d.]+ vs stable [\d.]+/);
  });

  it('when both answer 95% right then the check passes', async () => {
    const body = await judge(await providerFor(0.95, 0.95));
    expect(body.verdict, String(body.reason)).toBe('pass');
  });

  it('when nothing was sampled yet then the check is inconclusive', async () => {
    const provider = await providerFor(0.95, 0.95);
    const response = await fetch(
      `${provider.url}/api/v1/checks/quality?namespace=llm&model=${MODEL}&canary=canary&stable=stable`,
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.verdict).toBe('inconclusive');
  });

  it('when the provider samples then its /metrics carries the quality metrics for Prometheus', async () => {
    const provider = providers[0]!;
    const metrics = await (await fetch(`${provider.url}/metrics`)).text();
    expect(metrics).toMatch(
      /vllm_canary_quality_requests_total\{[^}]*track="canary"[^}]*outcome="answered"[^}]*\} \d+/,
    );
    expect(metrics).toMatch(/vllm_canary_quality_score_count\{[^}]*track="stable"/);
  });
});
