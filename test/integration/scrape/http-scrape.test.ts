// The scrape source over real HTTP on 127.0.0.1: local /metrics servers that fail, hang, vanish, cut their page
// or restart their counters, and the project's vLLM emulator under real traffic. Scrape times come from a test
// clock where figures must be exact; the last suite runs on real timers.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/index.js';
import { BackendUnreachableError } from '../../../metrics-provider/errors.js';
import { VLLM_METRICS, metricNamesFor } from '../../../metrics-provider/catalog/index.js';
import type { TrackSelector } from '../../../metrics-provider/sources/metric-source.js';
import {
  createScrapeSource,
  type ScrapeSource,
  type ScrapeSourceOptions,
} from '../../../metrics-provider/sources/scrape/index.js';
import { waitFor } from '../../harness/wait.js';
import { vllmPage } from '../../unit/scrape/pages.js';
import { MetricsServer } from './metrics-server.js';

const T0 = 1_700_000_000_000;
const logger = pino({ level: 'silent' });
const canary: TrackSelector = { namespace: 'llm', model: 'm', by: 'pod-template-hash', value: 'can' };
const stable: TrackSelector = { ...canary, value: 'stb' };
const labels = (hash: string, pod: string) => ({ namespace: 'llm', rollouts_pod_template_hash: hash, pod });

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((c) => c()));
});

async function server(): Promise<MetricsServer> {
  const s = await MetricsServer.start();
  cleanups.push(() => s.close());
  return s;
}

/** A source over real HTTP whose clock the test moves; scrapes happen when the test says. */
function clocked(targets: ScrapeSourceOptions['staticTargets'], options: ScrapeSourceOptions = {}) {
  const clock = { t: T0, now: () => clock.t };
  const source = createScrapeSource(
    { staticTargets: targets, timeoutSeconds: 2, ...options },
    {
      logger,
      clock,
      autoScrape: false,
    },
  );
  cleanups.push(() => source.close());
  const scrapeAt = async (seconds: number) => {
    clock.t = T0 + seconds * 1000;
    await source.scrapeNow();
  };
  return { source, clock, scrapeAt };
}

const status = (source: ScrapeSource, url: string) => source.targets().find((t) => t.target.url === url)!;

describe('scraping real HTTP targets', () => {
  it('when a pod restarts between scrapes then increase() bridges the reset exactly as Prometheus 2 does', async () => {
    const a = await server();
    const { source, scrapeAt } = clocked([{ url: a.url, labels: labels('can', 'a') }], {
      promql: 'prometheus-2',
    });
    const counts = [0, 10, 20, 5, 15]; // the process restarted between the third and fourth scrape
    for (const [i, n] of counts.entries()) {
      a.serve(vllmPage('m', { success: { stop: n } }));
      await scrapeAt(i * 15);
    }
    const answer = await source.counter({
      kind: 'counter',
      metric: VLLM_METRICS.requestSuccess,
      track: canary,
      windowSeconds: 60,
      hasModelLabel: true,
    });
    expect(answer.value).toEqual({ '': 35 });
    expect(a.scrapes).toBe(5);
  });

  it('when a target answers 500 then it is reported unhealthy by pod, and the healthy one still answers', async () => {
    const [a, b] = [await server(), await server()];
    const { source, scrapeAt } = clocked([
      { url: a.url, labels: labels('can', 'vllm-a') },
      { url: b.url, labels: labels('can', 'vllm-b') },
    ]);
    a.serve(vllmPage('m', { kv: 0.4 }));
    b.behaviour = { kind: 'status', status: 500 };
    await scrapeAt(0);
    await scrapeAt(15);
    const answer = await source.gauge({
      kind: 'gauge',
      metric: VLLM_METRICS.kvCacheUsage,
      aggregate: 'max',
      track: canary,
      windowSeconds: 60,
      hasModelLabel: true,
    });
    expect(answer.value).toBe(0.4);
    expect(answer.unhealthyTargets).toEqual([`pod vllm-b (127.0.0.1:${b.port}): HTTP 500`]);
  });

  it('when a target vanishes then it turns unhealthy, its series go stale, and a track with none left errors', async () => {
    const a = await server();
    const { source, scrapeAt } = clocked([{ url: a.url, labels: labels('can', 'vllm-a') }]);
    a.serve(vllmPage('m', { kv: 0.4, success: { stop: 3 } }));
    await scrapeAt(0);
    expect(await source.presentMetrics([VLLM_METRICS.kvCacheUsage], canary)).toEqual([
      VLLM_METRICS.kvCacheUsage,
    ]);
    await a.close();
    await scrapeAt(15);
    expect(status(source, a.url)).toMatchObject({ health: 'down' });
    expect(status(source, a.url).lastError).toMatch(/fetch failed.*ECONNREFUSED/);
    expect(await source.presentMetrics([VLLM_METRICS.kvCacheUsage], canary)).toEqual([]);
    await expect(
      source.gauge({
        kind: 'gauge',
        metric: VLLM_METRICS.kvCacheUsage,
        aggregate: 'max',
        track: canary,
        windowSeconds: 60,
        hasModelLabel: true,
      }),
    ).rejects.toThrow(BackendUnreachableError);
  });

  it('when a target hangs then the scrape times out and the target is down', async () => {
    const a = await server();
    a.behaviour = { kind: 'hang' };
    const { source, scrapeAt } = clocked([{ url: a.url, labels: labels('can', 'a') }], {
      intervalSeconds: 1,
      timeoutSeconds: 0.3,
    });
    const started = Date.now();
    await scrapeAt(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(status(source, a.url).lastError).toBe('timed out after 300 ms');
  });

  it('when the connection drops half way through the page then nothing of it is stored', async () => {
    const a = await server();
    const { source, scrapeAt } = clocked([{ url: a.url, labels: labels('can', 'a') }]);
    const whole = vllmPage('m', { e2e: [1, 2, 3], success: { stop: 4 }, kv: 0.5 });
    a.serve(whole);
    await scrapeAt(0);
    const before = source.stats();
    a.behaviour = { kind: 'cut', body: whole };
    await scrapeAt(15);
    expect(status(source, a.url).health).toBe('down');
    expect(source.stats().samples).toBe(before.samples);
  });
});

describe('scraping the vLLM emulator on real timers', () => {
  it('when traffic flows then the histogram counts it and each generation is found by its own names', async () => {
    const emulators: RunningEmulator[] = [
      await startEmulator({ model: 'm', generation: 'current', seed: 1, timeScale: 100 }),
      await startEmulator({ model: 'm', generation: 'legacy', seed: 2, timeScale: 100 }),
    ];
    cleanups.push(() => Promise.all(emulators.map((e) => e.close())));
    const [can, stb] = emulators as [RunningEmulator, RunningEmulator];
    const source = createScrapeSource(
      {
        intervalSeconds: 1,
        timeoutSeconds: 0.8,
        staticTargets: [
          { url: `${can.url}/metrics`, labels: labels('can', 'vllm-can') },
          { url: `${stb.url}/metrics`, labels: labels('stb', 'vllm-stb') },
        ],
      },
      { logger },
    );
    cleanups.push(() => source.close());
    await source.ready();
    await waitFor(() => source.stats().healthy === 2 && source.stats().samples > 0, {
      description: 'first scrapes',
    });

    const requests = 12;
    for (let i = 0; i < requests; i++) {
      const res = await fetch(`${can.url}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', prompt: `hello ${i}`, max_tokens: 8 }),
      });
      await res.text();
    }
    const total = async () => {
      const h = await source.histogram({
        kind: 'histogram',
        metric: VLLM_METRICS.e2eLatency,
        track: canary,
        windowSeconds: 60,
        hasModelLabel: true,
      });
      return h.value === undefined ? 0 : h.value.counts.reduce((x, y) => x + y, 0);
    };
    // increase() extrapolates a little past the last scrape, so the total lands between N and N x (1 + 1 interval).
    const seen = await waitFor(async () => ((await total()) >= requests ? total() : false), {
      timeoutMs: 20_000,
      description: 'the requests to show in the histogram',
    });
    expect(seen).toBeLessThan(requests * 2);

    const current = metricNamesFor('current').filter((n) => n.startsWith('vllm:') && !n.endsWith('_seconds'));
    expect(await source.presentMetrics(current, canary)).toEqual(current);
    expect(
      await source.presentMetrics([VLLM_METRICS.kvCacheUsage, VLLM_METRICS.gpuCacheUsage], stable),
    ).toEqual([VLLM_METRICS.gpuCacheUsage]);
    expect((await source.health()).ok).toBe(true);
  });
});
