// The scrape source end to end with a fake clock and a fake fetch: literal pages scraped at chosen times, then
// the MetricSource answers compared with hand-computed PromQL figures.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BackendUnreachableError,
  InvalidRequestError,
  UnexpectedDataError,
} from '../../../metrics-provider/errors.js';
import type { TrackSelector } from '../../../metrics-provider/sources/metric-source.js';
import {
  createScrapeSource,
  type FetchLike,
  type ScrapeSource,
  type ScrapeSourceOptions,
} from '../../../metrics-provider/sources/scrape/index.js';
import { vllmPage, type PodFigures } from './pages.js';

const T0 = 1_700_000_000_000;
const POD_A = 'http://10.0.0.1:8000/metrics';
const POD_B = 'http://10.0.0.2:8000/metrics';
const POD_S = 'http://10.0.0.3:8000/metrics';
const pod = (url: string, hash: string, name: string) => ({
  url,
  labels: { namespace: 'llm', rollouts_pod_template_hash: hash, pod: name },
});
const TARGETS = [
  pod(POD_A, 'can', 'vllm-can-a'),
  pod(POD_B, 'can', 'vllm-can-b'),
  pod(POD_S, 'stb', 'vllm-stb-a'),
];
const canary: TrackSelector = { namespace: 'llm', model: 'm', by: 'pod-template-hash', value: 'can' };
const stable: TrackSelector = { ...canary, value: 'stb' };
const base = { track: canary, windowSeconds: 60, hasModelLabel: true } as const;

type Page = string | (() => Response);

class Rig {
  now = T0;
  readonly pages = new Map<string, Page>();
  readonly source: ScrapeSource;

  constructor(options: ScrapeSourceOptions = {}) {
    const fetch: FetchLike = async (url) => {
      const page = this.pages.get(url);
      if (page === undefined)
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
      return typeof page === 'string' ? new Response(page) : page();
    };
    this.source = createScrapeSource(
      { staticTargets: TARGETS, ...options },
      { logger: pino({ level: 'silent' }), clock: { now: () => this.now }, fetch, autoScrape: false },
    );
  }

  /** Serves `figures(i)` per pod at scrapes i = 0..n-1, every 15 s from T0. */
  async run(n: number, figures: (i: number) => Partial<Record<string, Page>>): Promise<void> {
    for (let i = 0; i < n; i++) {
      this.now = T0 + i * 15_000;
      this.pages.clear();
      for (const [url, page] of Object.entries(figures(i))) if (page !== undefined) this.pages.set(url, page);
      await this.source.scrapeNow();
    }
  }
}

const page = (f: PodFigures, model = 'm') => vllmPage(model, f);
let rig: Rig;
afterEach(() => rig?.source.close());

describe('scrape source answers with Prometheus arithmetic', () => {
  it('when two canary pods grow their buckets then the histogram sums them by le, non-cumulative, without stable', async () => {
    rig = new Rig();
    await rig.run(5, (i) => ({
      [POD_A]: page({ e2e: [2 * i, 3 * i, 4 * i] }),
      [POD_B]: page({ e2e: [4 * i, 6 * i, 8 * i] }),
      [POD_S]: page({ e2e: [100 * i, 100 * i, 100 * i] }),
    }));
    const answer = await rig.source.histogram({
      ...base,
      kind: 'histogram',
      metric: 'vllm:e2e_request_latency_seconds',
    });
    // Over 60 s each pod grew 4 steps: A 8/12/16, B 16/24/32 cumulative; summed 24/36/48; non-cumulative 24/12/12.
    expect(answer.value!.upperBounds).toEqual([0.5, 1, Number.POSITIVE_INFINITY]);
    answer.value!.counts.forEach((c, i) => expect(c).toBeCloseTo([24, 12, 12][i]!, 9));
    expect(answer.query).toBe(
      'sum by (le) (increase(vllm:e2e_request_latency_seconds_bucket{namespace="llm", ' +
        'rollouts_pod_template_hash="can", model_name="m"}[60s]))',
    );
    expect(answer.unhealthyTargets).toEqual([]);
  });

  it('when another model is served by the same track then its series are left out', async () => {
    rig = new Rig();
    await rig.run(5, (i) => ({
      [POD_A]: page({ e2e: [i, i, i] }),
      [POD_B]: page({ e2e: [9 * i, 9 * i, 9 * i] }, 'x'),
    }));
    const answer = await rig.source.histogram({
      ...base,
      kind: 'histogram',
      metric: 'vllm:e2e_request_latency_seconds',
    });
    expect(answer.value!.counts.map((c) => Math.round(c * 1e9) / 1e9)).toEqual([4, 0, 0]);
  });

  it('when a counter is grouped then each group is summed over pods, and a match filters series', async () => {
    rig = new Rig();
    await rig.run(5, (i) => ({
      [POD_A]: page({ success: { stop: 10 * i, abort: i }, http: { '2xx': 10 * i, '5xx': 2 * i } }),
      [POD_B]: page({ success: { stop: 20 * i, length: 5 * i }, http: { '2xx': 20 * i } }),
    }));
    const byReason = await rig.source.counter({
      ...base,
      kind: 'counter',
      metric: 'vllm:request_success_total',
      groupBy: 'finished_reason',
    });
    expect(byReason.value).toEqual({ stop: 120, abort: 4, length: 20 });
    const errors = await rig.source.counter({
      ...base,
      kind: 'counter',
      metric: 'http_requests_total',
      hasModelLabel: false,
      match: { status: ['5xx'] },
    });
    expect(errors.value).toEqual({ '': 8 });
    expect(errors.query).toContain('status="5xx"');
  });

  it('when a pod restarts between scrapes then its counter reset is bridged as Prometheus does', async () => {
    rig = new Rig({ promql: 'prometheus-2' });
    const values = [0, 10, 20, 5, 15];
    await rig.run(5, (i) => ({ [POD_A]: page({ success: { stop: values[i]! } }) }));
    const answer = await rig.source.counter({
      ...base,
      kind: 'counter',
      metric: 'vllm:request_success_total',
    });
    // 0 -> 20 (+20), reset to 5 (+5), -> 15 (+10): 35 over exactly the 60 s window (closed range, no extrapolation).
    expect(answer.value).toEqual({ '': 35 });
  });

  it.each([
    // Samples at 6, 20, 34, 48 s; window of 54 s ending at 60 s starts exactly on the first sample.
    // Prometheus 2 keeps it (checked with promtool 2.42): 45 x (42 + 0 + 12) / 42.
    ['prometheus-2-early', 45 * (54 / 42)],
    // Prometheus 3 leaves it out: 12 -> 55 over 28 s, zero point 28 x 12/43 s back, 12 s to the end.
    ['prometheus-3', 43 * ((28 + (28 * 12) / 43 + 12) / 28)],
  ] as const)(
    'when a sample sits exactly on the window start then %s decides whether it counts',
    async (promql, expected) => {
      rig = new Rig({ promql });
      const values = [10, 12, 40, 55];
      for (const [i, t] of [6, 20, 34, 48].entries()) {
        rig.now = T0 + t * 1000;
        rig.pages.set(POD_A, page({ success: { stop: values[i]! } }));
        await rig.source.scrapeNow();
      }
      rig.now = T0 + 60_000;
      const answer = await rig.source.counter({
        ...base,
        windowSeconds: 54,
        kind: 'counter',
        metric: 'vllm:request_success_total',
      });
      expect(answer.value['']).toBeCloseTo(expected, 9);
    },
  );

  it('when gauges differ between pods then max is the highest sample and avg the mean of per-pod means', async () => {
    rig = new Rig();
    const a = [0.1, 0.5, 0.3];
    const b = [0.2, 0.2, 0.2];
    await rig.run(3, (i) => ({ [POD_A]: page({ kv: a[i]! }), [POD_B]: page({ kv: b[i]! }) }));
    const ask = (aggregate: 'max' | 'avg') =>
      rig.source.gauge({ ...base, kind: 'gauge', metric: 'vllm:kv_cache_usage_perc', aggregate });
    expect((await ask('max')).value).toBe(0.5);
    expect((await ask('avg')).value).toBeCloseTo(0.25, 12);
    expect((await ask('avg')).query).toBe(
      'avg (avg_over_time(vllm:kv_cache_usage_perc{namespace="llm", rollouts_pod_template_hash="can", model_name="m"}[60s]))',
    );
  });

  it('when the track has no such series then histogram and gauge are undefined and counter is empty', async () => {
    rig = new Rig();
    await rig.run(2, () => ({ [POD_A]: page({ kv: 0.1 }) }));
    const metric = 'vllm:time_to_first_token_seconds';
    expect((await rig.source.histogram({ ...base, kind: 'histogram', metric })).value).toBeUndefined();
    expect(
      (await rig.source.gauge({ ...base, kind: 'gauge', metric, aggregate: 'max' })).value,
    ).toBeUndefined();
    expect((await rig.source.counter({ ...base, kind: 'counter', metric })).value).toEqual({});
  });

  it('when a counter is NaN then the answer is refused as unexpected data', async () => {
    rig = new Rig();
    await rig.run(3, (i) => ({ [POD_A]: page({ success: { stop: i === 2 ? Number.NaN : i } }) }));
    await expect(
      rig.source.counter({ ...base, kind: 'counter', metric: 'vllm:request_success_total' }),
    ).rejects.toThrow(UnexpectedDataError);
  });

  it('when a window is longer than the retention then the query is refused', async () => {
    rig = new Rig({ retentionSeconds: 600 });
    await expect(
      rig.source.counter({
        ...base,
        windowSeconds: 601,
        kind: 'counter',
        metric: 'vllm:request_success_total',
      }),
    ).rejects.toThrow(InvalidRequestError);
  });
});

describe('which names a track exposes, and staleness', () => {
  it('when canary and stable expose different generations then each track finds its own name', async () => {
    rig = new Rig();
    await rig.run(1, () => ({ [POD_A]: page({ kv: 0.1 }), [POD_S]: page({ kv: 0.1, legacyKv: true }) }));
    const names = ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'];
    expect(await rig.source.presentMetrics(names, canary)).toEqual(['vllm:kv_cache_usage_perc']);
    expect(await rig.source.presentMetrics(names, stable)).toEqual(['vllm:gpu_cache_usage_perc']);
  });

  it('when a series leaves the page then it is stale at once, though its samples still count in the window', async () => {
    rig = new Rig();
    await rig.run(4, (i) => ({
      [POD_A]: page(i < 3 ? { success: { stop: 10 * i }, kv: 0.4 } : { kv: 0.4 }),
    }));
    expect(await rig.source.presentMetrics(['vllm:request_success_total'], canary)).toEqual([]);
    // Prometheus' range functions skip stale markers: 0, 10, 20 at 0/15/30 s, queried at 45 s over 60 s.
    const answer = await rig.source.counter({
      ...base,
      kind: 'counter',
      metric: 'vllm:request_success_total',
    });
    expect(answer.value['']).toBeGreaterThan(20);
  });

  it('when a page lists a series twice, its labels in another order, then the first line is kept', async () => {
    rig = new Rig();
    const kv = 'vllm:kv_cache_usage_perc';
    await rig.run(2, (i) => ({
      [POD_A]: `# TYPE ${kv} gauge\n${kv}{model_name="m",engine="0"} 0.${i + 2}\n${kv}{engine="0",model_name="m"} 0.9\n`,
    }));
    expect(rig.source.stats()).toMatchObject({ series: 1, samples: 2 });
    expect(rig.source.targets().find((t) => t.target.url === POD_A)!.series).toBe(1);
    const answer = await rig.source.gauge({ ...base, kind: 'gauge', metric: kv, aggregate: 'max' });
    expect(answer.value).toBe(0.3);
  });

  it('when nothing was scraped for longer than the lookback then nothing is present', async () => {
    rig = new Rig({ lookbackSeconds: 60 });
    await rig.run(1, () => ({ [POD_A]: page({ kv: 0.1 }) }));
    rig.now += 61_000;
    expect(await rig.source.presentMetrics(['vllm:kv_cache_usage_perc'], canary)).toEqual([]);
  });
});

describe('unhealthy targets', () => {
  it('when one canary pod answers 500 then answers name it, and data comes from what was scraped', async () => {
    rig = new Rig();
    await rig.run(3, (i) => ({
      [POD_A]: page({ kv: 0.3 }),
      [POD_B]: i < 2 ? page({ kv: 0.9 }) : () => new Response('boom', { status: 500 }),
    }));
    const answer = await rig.source.gauge({
      ...base,
      kind: 'gauge',
      metric: 'vllm:kv_cache_usage_perc',
      aggregate: 'max',
    });
    expect(answer.unhealthyTargets).toEqual(['pod vllm-can-b (10.0.0.2:8000): HTTP 500']);
    expect(answer.value).toBe(0.9); // B's earlier samples are still in the window, as in Prometheus
  });

  it('when every canary pod fails then the question fails as unreachable instead of answering from memory', async () => {
    rig = new Rig();
    await rig.run(3, (i) => (i < 2 ? { [POD_A]: page({ kv: 0.3 }), [POD_B]: page({ kv: 0.3 }) } : {}));
    const ask = rig.source.gauge({
      ...base,
      kind: 'gauge',
      metric: 'vllm:kv_cache_usage_perc',
      aggregate: 'max',
    });
    await expect(ask).rejects.toThrow(BackendUnreachableError);
    await expect(ask).rejects.toThrow(
      /no scrape target of pod-template-hash can in namespace llm is up: pod vllm-can-a/,
    );
    // the stable pod was never reachable in this test, so stable fails the same way
    await expect(
      rig.source.gauge({ ...base, track: stable, kind: 'gauge', metric: 'x', aggregate: 'max' }),
    ).rejects.toThrow(BackendUnreachableError);
    expect((await rig.source.health()).ok).toBe(false);
  });

  it('when the track has no target at all then answers are empty (inconclusive), even with data in memory', async () => {
    rig = new Rig({ staticTargets: [pod(POD_A, 'can', 'vllm-can-a')] });
    await rig.run(3, () => ({ [POD_A]: page({ kv: 0.3, success: { stop: 1 } }) }));
    const other: TrackSelector = { ...canary, value: 'gone' };
    const gauge = await rig.source.gauge({
      ...base,
      track: other,
      kind: 'gauge',
      metric: 'vllm:kv_cache_usage_perc',
      aggregate: 'max',
    });
    expect(gauge).toEqual({
      query: expect.stringContaining('"gone"'),
      value: undefined,
      unhealthyTargets: [],
    });
    const counter = await rig.source.counter({
      ...base,
      track: other,
      kind: 'counter',
      metric: 'vllm:request_success_total',
    });
    expect(counter.value).toEqual({});
  });

  it("when the track's targets were never scraped yet then answers are empty rather than built from old series", async () => {
    rig = new Rig();
    // Nothing scraped: every target is still "unknown".
    const answer = await rig.source.histogram({
      ...base,
      kind: 'histogram',
      metric: 'vllm:e2e_request_latency_seconds',
    });
    expect(answer.value).toBeUndefined();
    expect(rig.source.targets().map((t) => t.health)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('when a page is cut short then the scrape fails and none of it is stored', async () => {
    rig = new Rig();
    const whole = page({ success: { stop: 5 }, kv: 0.25 });
    await rig.run(1, () => ({ [POD_A]: whole }));
    const before = rig.source.stats().samples;
    await rig.run(1, () => ({ [POD_A]: whole.slice(0, whole.length - 3) }));
    const status = rig.source.targets().find((t) => t.target.url === POD_A)!;
    expect(status.health).toBe('down');
    expect(status.lastError).toContain('cut short');
    expect(rig.source.stats().samples).toBe(before);
  });

  it('when the announced length is longer than the body then the scrape fails as cut short', async () => {
    rig = new Rig();
    const body = page({ kv: 0.25 });
    await rig.run(1, () => ({
      [POD_A]: () => new Response(body, { headers: { 'content-length': String(body.length + 100) } }),
    }));
    expect(rig.source.targets().find((t) => t.target.url === POD_A)!.lastError).toMatch(/cut short/);
  });
});

describe('memory bounds and options', () => {
  it('when a scrape would pass maxSeries then it fails whole and the target is down', async () => {
    rig = new Rig({ maxSeries: 5 });
    await rig.run(1, () => ({ [POD_A]: page({ e2e: [1, 2, 3], kv: 0.1 }) }));
    const status = rig.source.targets().find((t) => t.target.url === POD_A)!;
    expect(status.lastError).toBe('series limit reached: the scrape needs 6 series, the limit is 5');
    expect(rig.source.stats().series).toBe(0);
  });

  it('when a page is larger than maxBodyBytes then the scrape fails instead of reading it all', async () => {
    rig = new Rig({ maxBodyBytes: 100 });
    await rig.run(1, () => ({ [POD_A]: page({ e2e: [1, 2, 3], kv: 0.1 }) }));
    expect(rig.source.targets().find((t) => t.target.url === POD_A)!.lastError).toBe(
      'the page exceeds 100 bytes',
    );
    expect(rig.source.stats().series).toBe(0);
  });

  it('when stats are asked then the bound follows maxSeries x (retention / interval + 2 + a chunk) samples x 18 bytes', async () => {
    rig = new Rig({ maxSeries: 1000, retentionSeconds: 3600, intervalSeconds: 15 });
    await rig.run(3, () => ({ [POD_A]: page({ kv: 0.1 }) }));
    const stats = rig.source.stats();
    expect(stats).toMatchObject({ targets: 3, healthy: 1, series: 1, samples: 3, maxSamplesPerSeries: 242 });
    expect(stats.boundBytes).toBe(1000 * ((242 + 16) * 18 + 1024));
    expect(stats.bytes).toBeGreaterThan(stats.sampleBytes);
    expect(stats.sampleBytes).toBeGreaterThan(0);
  });

  it.each([
    [{ intervalSeconds: 0 }, 'scrape option intervalSeconds must be a positive number, got 0'],
    [{ maxSeries: 1.5 }, 'scrape option maxSeries must be a positive integer, got 1.5'],
    [
      { intervalSeconds: 5, timeoutSeconds: 10 },
      'scrape option timeoutSeconds (10) must not exceed intervalSeconds (5)',
    ],
    [{ maxSamplesPerSeries: 1 }, 'scrape option maxSamplesPerSeries must be at least 2'],
    [{ staticTargets: [{ url: 'ftp://x/metrics', labels: {} }] }, 'must use http or https'],
    [
      { staticTargets: [{ url: 'http://x/metrics', labels: { 'bad-name': 'v' } }] },
      'invalid label name "bad-name"',
    ],
  ])('when options are %j then creation fails saying so', (options, message) => {
    expect(() =>
      createScrapeSource(
        { ...options },
        {
          logger: pino({ level: 'silent' }),
          fetch: () => Promise.reject(new Error('unused')),
          autoScrape: false,
        },
      ),
    ).toThrow(message);
  });
});
