// The embedded scrape source answers with the numbers Prometheus gives on the same data: two providers, one on a
// real Prometheus and one on the scrape source, both scraping the same emulators every second, are asked the same
// checks after the same traffic. Tolerances: the two scrape at different instants of each second, so increase()
// extrapolates over slightly different spans (a few percent on counts, less on ratios and quantiles).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLoad } from '../../../demo/index.js';
import { startEmulator, type RunningEmulator } from '../../../emulator/index.js';
import {
  createLogger,
  loadConfig,
  startProvider,
  type RunningProvider,
} from '../../../metrics-provider/index.js';
import { createScrapeSource } from '../../../metrics-provider/sources/scrape/index.js';
import { startPrometheus, type RunningPrometheus } from '../../harness/index.js';
import { BASE_PROFILE, checkPath, MODEL, NAMESPACE } from './fixture.js';

let emulators: RunningEmulator[] = [];
let prometheus: RunningPrometheus;
let onPrometheus: RunningProvider;
let onScrape: RunningProvider;

beforeAll(async () => {
  const stable = await startEmulator({
    model: MODEL,
    generation: 'current',
    profile: BASE_PROFILE,
    seed: 1,
    timeScale: 50,
  });
  const canary = await startEmulator({
    model: MODEL,
    generation: 'legacy',
    // KV usage independent of the requests in flight at the instant of a scrape: the two sides scrape at different
    // instants, and a load-dependent peak would differ by whatever was in flight then.
    profile: { ...BASE_PROFILE, errorRate: 0.08, kvCache: { base: 0.62, perRunning: 0 } },
    seed: 2,
    timeScale: 50,
  });
  emulators = [stable, canary];
  const targets = [
    { url: `${stable.url}/metrics`, labels: { namespace: NAMESPACE, rollouts_pod_template_hash: 'stable' } },
    { url: `${canary.url}/metrics`, labels: { namespace: NAMESPACE, rollouts_pod_template_hash: 'canary' } },
  ];
  prometheus = await startPrometheus({ targets, scrapeInterval: '1s' });
  const scrape = createScrapeSource(
    { intervalSeconds: 1, timeoutSeconds: 1, staticTargets: targets, promql: await semanticsOf(prometheus) },
    { logger: createLogger('silent') },
  );
  await Promise.all([prometheus.waitForTargetsUp(30_000), scrape.ready()]);
  const load = (requests: number) =>
    generateLoad({
      stable: { url: stable.url, model: MODEL },
      canary: { url: canary.url, model: MODEL },
      canaryWeight: 30,
      requests,
      concurrency: 16,
    });
  // A little traffic first, scraped by both, so every counter series exists before the measured traffic: a series
  // born inside the window is extrapolated from whenever each side first saw it, which differs by up to a second.
  await load(40);
  await new Promise((r) => setTimeout(r, 3000));
  await load(1200);
  await new Promise((r) => setTimeout(r, 3000));
  const config = (url: string) => loadConfig(undefined, { prometheusUrl: url, port: 0, host: '127.0.0.1' });
  onPrometheus = await startProvider(config(prometheus.url), { logger: createLogger('silent') });
  onScrape = await startProvider(config('http://127.0.0.1:9'), {
    logger: createLogger('silent'),
    source: scrape,
  });
}, 180_000);

afterAll(async () => {
  await onPrometheus?.close();
  await onScrape?.close();
  await prometheus?.stop();
  await Promise.all(emulators.map((e) => e.close()));
});

/** The increase() arithmetic of the Prometheus the harness runs (Debian's 2.42 here, upstream 2.53 elsewhere). */
async function semanticsOf(
  p: RunningPrometheus,
): Promise<'prometheus-3' | 'prometheus-2' | 'prometheus-2-early'> {
  const info = (await (await fetch(`${p.url}/api/v1/status/buildinfo`)).json()) as {
    data: { version: string };
  };
  const [major = 0, minor = 0] = info.data.version.split('.').map(Number);
  if (major >= 3) return 'prometheus-3';
  return minor >= 51 ? 'prometheus-2' : 'prometheus-2-early';
}

async function both(path: string): Promise<[Record<string, unknown>, Record<string, unknown>]> {
  const ask = async (p: RunningProvider) =>
    (await (await fetch(`${p.url}${path}`)).json()) as Record<string, unknown>;
  return Promise.all([ask(onPrometheus), ask(onScrape)]);
}

describe('scrape source against real Prometheus on the same traffic', () => {
  it.each([
    ['p95 e2e latency', 'latency', { signal: 'e2e', window: '2m', test: 'false', max: 100 }, 0.05],
    ['p95 time to first token', 'latency', { signal: 'ttft', window: '2m', test: 'false', max: 100 }, 0.05],
    [
      'p95 inter-token latency (legacy canary)',
      'latency',
      { signal: 'itl', window: '2m', test: 'false', max: 100 },
      0.05,
    ],
  ])('when asked for the %s then both give it within 5%%', async (_name, check, params, tolerance) => {
    const [p, s] = await both(checkPath(check, 'canary', params));
    expect(p.verdict).toBe('pass');
    expect(s.verdict).toBe('pass');
    for (const key of ['value', 'baseline'] as const) {
      const a = p[key] as number;
      const b = s[key] as number;
      expect(Math.abs(a - b) / a, `${key}: prometheus ${a}, scrape ${b}`).toBeLessThan(tolerance);
    }
    expect(p.metric).toBe(s.metric);
  });

  it('when asked for the error ratio then both give it within half a percentage point', async () => {
    const [p, s] = await both(checkPath('error-ratio', 'canary', { window: '2m', max: 0.5, test: 'false' }));
    expect(p.value as number).toBeGreaterThan(0.04);
    expect(Math.abs((p.value as number) - (s.value as number))).toBeLessThan(0.005);
    const samples = (x: Record<string, unknown>) => (x.samples as { canary: number }).canary;
    // Raw counts of series only seconds old differ most: increase() extrapolates each to the window's end from its
    // own last scrape, by up to a second of a few seconds' history. Ratios and quantiles cancel that out.
    expect(Math.abs(samples(p) - samples(s)) / samples(p)).toBeLessThan(0.15);
  });

  it('when asked for peak KV-cache usage then both give the same figure', async () => {
    const [p, s] = await both(checkPath('kv-cache', 'canary', { window: '2m', max: 0.99 }));
    expect(p.value as number).toBeGreaterThan(0.6);
    expect(s.value).toBeCloseTo(p.value as number, 9);
    expect(p.metric).toBe('vllm:gpu_cache_usage_perc');
    expect(s.metric).toBe('vllm:gpu_cache_usage_perc');
  });
});
