// The foundation the judge stands on: vLLM emulators of both metric generations, scraped every second by a real
// Prometheus, give the latency quantile and the 5xx ratio their profile configures, within what bucket layout and
// sample size allow. If this fails, no check of the provider can be trusted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { PartialProfile, RunningEmulator } from '../../emulator/index.js';
import { REQUEST_LATENCY_BUCKETS } from '../../metrics-provider/catalog/index.js';
import type { VllmGeneration } from '../../metrics-provider/catalog/index.js';
import { normalCdf, normalQuantile, startPrometheus } from '../harness/index.js';
import type { RunningPrometheus } from '../harness/index.js';

const REQUESTS = 500;
const CONCURRENCY = 16;
const ERROR_RATE = 0.1;
const QUEUE_WAIT = 0.001;
const TTFT = { median: 0.7, sigma: 0.3 };
/**
 * One output token (no decode time), no load effect, no queueing, a fixed queue wait: every request's e2e latency
 * is QUEUE_WAIT + a log-normal prefill time, a distribution known in closed form.
 */
const PROFILE: PartialProfile = {
  queueWait: { median: QUEUE_WAIT, sigma: 0 },
  ttft: TTFT,
  outputTokens: { median: 1, sigma: 0 },
  loadFactor: 0,
  maxRunning: 256,
  errorRate: ERROR_RATE,
};

const e2eCdf = (x: number): number =>
  x <= QUEUE_WAIT ? 0 : normalCdf(Math.log((x - QUEUE_WAIT) / TTFT.median) / TTFT.sigma);
const e2eQuantile = (q: number): number =>
  QUEUE_WAIT + TTFT.median * Math.exp(TTFT.sigma * normalQuantile(q));

/**
 * Where Prometheus' estimate of the q-quantile from n draws can land. histogram_quantile finds the first bucket
 * whose cumulative count reaches q*n and interpolates linearly inside it, so its answer is >= an edge e whenever
 * fewer than q*n draws fell at or below e, and <= e whenever at least q*n did. The count at or below e is
 * binomial(n, F(e)); within 4 standard errors, edges with F(e) + 4se < q lie below the answer and edges with
 * F(e) - 4se >= q above it. The true quantile (F = q exactly) lies between the same two edges. With the profile
 * above (F(1) = 0.883, F(1.5) = 0.9945) and ~450 successful requests this is the single bucket (1, 1.5].
 */
function quantileBounds(q: number, n: number, edges: readonly number[]): [number, number] {
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  for (const edge of edges) {
    const share = e2eCdf(edge);
    const se = Math.sqrt((share * (1 - share)) / n);
    if (share + 4 * se < q) low = edge;
    if (share - 4 * se >= q && high === Number.POSITIVE_INFINITY) high = edge;
  }
  return [low, high];
}

interface Traffic {
  ok: number;
  failed: number;
}

async function complete(emulator: RunningEmulator, traffic: Traffic): Promise<number> {
  const response = await fetch(`${emulator.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: emulator.model, prompt: 'Say hello.' }),
  });
  await response.arrayBuffer();
  if (response.status === 200) traffic.ok += 1;
  else if (response.status === 500) traffic.failed += 1;
  else throw new Error(`unexpected status ${response.status} from ${emulator.url}`);
  return response.status;
}

async function load(emulator: RunningEmulator, count: number, traffic: Traffic): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      await complete(emulator, traffic);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

describe('foundation: emulators scraped by a real Prometheus', () => {
  const generations: readonly VllmGeneration[] = ['legacy', 'current'];
  const emulators = new Map<VllmGeneration, RunningEmulator>();
  const traffic = new Map<VllmGeneration, Traffic>();
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    for (const [index, generation] of generations.entries()) {
      const emulator = await startEmulator({
        model: 'demo-model',
        generation,
        profile: PROFILE,
        seed: 11 + index,
        timeScale: 200,
      });
      emulators.set(generation, emulator);
      traffic.set(generation, { ok: 0, failed: 0 });
    }
    prometheus = await startPrometheus({
      scrapeInterval: '1s',
      targets: generations.map((generation) => ({
        url: `${emulators.get(generation)?.url}/metrics`,
        labels: { pod: `${generation}-0` },
      })),
    });
    await prometheus.waitForTargetsUp(30_000);

    // Warm up until both a 2xx and a 5xx series exist and Prometheus has scraped them: rate() needs a sample from
    // before the load on every series, or the increase up to a series' first scrape is lost.
    for (const generation of generations) {
      const emulator = emulators.get(generation) as RunningEmulator;
      const seen = new Set<number>();
      while (seen.size < 2) seen.add(await complete(emulator, traffic.get(generation) as Traffic));
      await prometheus.waitForSamples(
        `http_requests_total{pod="${generation}-0", handler="/v1/completions"}`,
        (samples) => samples.length === 2,
      );
      await prometheus.waitForSamples(`vllm:e2e_request_latency_seconds_count{pod="${generation}-0"}`);
    }

    await Promise.all(
      generations.map((generation) =>
        load(emulators.get(generation) as RunningEmulator, REQUESTS, traffic.get(generation) as Traffic),
      ),
    );
    for (const generation of generations) {
      const { ok, failed } = traffic.get(generation) as Traffic;
      await prometheus.waitForSamples(
        `sum(http_requests_total{pod="${generation}-0", handler="/v1/completions"})`,
        ([total]) => total?.value === ok + failed,
      );
    }
  });

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all([...emulators.values()].map((emulator) => emulator.close()));
  });

  describe.each(generations)('when the %s emulator served a few hundred requests', (generation) => {
    it('then Prometheus p95 of e2e latency lies in the bucket that holds the true p95', async () => {
      const { ok } = traffic.get(generation) as Traffic;
      const [low, high] = quantileBounds(0.95, ok, REQUEST_LATENCY_BUCKETS);
      const truth = e2eQuantile(0.95);
      const p95 = await prometheus.queryNumber(
        `histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{pod="${generation}-0"}[1m])))`,
      );
      expect([low, high]).toEqual([1, 1.5]);
      expect(truth).toBeGreaterThanOrEqual(low);
      expect(truth).toBeLessThanOrEqual(high);
      expect(p95).toBeGreaterThanOrEqual(low);
      expect(p95).toBeLessThanOrEqual(high);
    });

    it('then the 5xx ratio matches the configured error rate within 4 standard errors', async () => {
      const { ok, failed } = traffic.get(generation) as Traffic;
      const ratio = await prometheus.queryNumber(
        `sum(rate(http_requests_total{pod="${generation}-0", status="5xx"}[1m]))` +
          ` / sum(rate(http_requests_total{pod="${generation}-0"}[1m]))`,
      );
      const tolerance = 4 * Math.sqrt((ERROR_RATE * (1 - ERROR_RATE)) / (ok + failed));
      expect(Math.abs(ratio - ERROR_RATE)).toBeLessThan(tolerance);
      // What the emulator answered and what Prometheus counted agree on the totals.
      const counted = await prometheus.queryNumber(
        `sum(http_requests_total{pod="${generation}-0", status="5xx"})`,
      );
      expect(counted).toBe(failed);
    });
  });
});
