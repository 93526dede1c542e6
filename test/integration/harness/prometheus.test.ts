// The harness against a real Prometheus: scraping a local server, backfilled history, pause and stop.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dockerClient,
  startPrometheus,
  syntheticHistory,
  uniform,
  writeOpenMetrics,
} from '../../harness/index.js';
import type { Distribution, RunningPrometheus } from '../../harness/index.js';

/** A server exposing one counter that grows by 3 on every scrape, at a non-default path. */
async function counterServer(): Promise<{ url: string; close(): Promise<void> }> {
  let served = 0;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/custom/metrics') {
      response.writeHead(404).end();
      return;
    }
    served += 3;
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(
      '# TYPE demo:requests_total counter\n' +
        `demo:requests_total{code="200"} ${served}\n` +
        `demo:requests_total{code="503"} 1\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/custom/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Prometheus' histogram_quantile over buckets whose cumulative shares are exactly the CDF: find the bucket the
 * rank falls in and interpolate linearly inside it (the lowest bucket starts at 0; past the last finite bound the
 * answer is that bound).
 */
function interpolatedQuantile(q: number, bounds: readonly number[], distribution: Distribution): number {
  let lower = 0;
  let below = 0;
  for (const upper of bounds) {
    const share = distribution.cdf(upper);
    if (share >= q) return lower + ((upper - lower) * (q - below)) / (share - below);
    lower = upper;
    below = share;
  }
  return lower;
}

describe('startPrometheus', () => {
  describe('when it scrapes a local server', () => {
    let target: Awaited<ReturnType<typeof counterServer>>;
    let prometheus: RunningPrometheus;

    beforeAll(async () => {
      target = await counterServer();
      const started = Date.now();
      prometheus = await startPrometheus({ targets: [{ url: target.url, labels: { pod: 'demo-0' } }] });
      console.log(`Prometheus ready in ${Date.now() - started} ms at ${prometheus.url}`);
    });
    afterAll(async () => {
      await prometheus?.stop();
      await target?.close();
    });

    it('then the target is up, with its labels and the path of its URL', async () => {
      await prometheus.waitForTargetsUp(20_000);
      const [health] = await prometheus.targets();
      expect(health).toMatchObject({ health: 'up', scrapeUrl: target.url });
      expect(health?.labels).toMatchObject({ pod: 'demo-0', job: 'vllm-canary-test' });
    });

    it('then the counter is queryable, colon name and target labels included', async () => {
      const samples = await prometheus.waitForSamples(
        'demo:requests_total{code="200"}',
        (s) => (s[0]?.value ?? 0) >= 6,
      );
      expect(samples).toHaveLength(1);
      expect(samples[0]?.metric).toMatchObject({
        __name__: 'demo:requests_total',
        pod: 'demo-0',
        code: '200',
      });
      expect(await prometheus.queryNumber('sum(demo:requests_total{code="503"})')).toBe(1);
      expect(await prometheus.query('scalar(vector(42))')).toMatchObject({ resultType: 'scalar', value: 42 });
    });

    it('then a range query returns points every step', async () => {
      const end = Date.now() / 1000;
      const [series] = await prometheus.queryRange('demo:requests_total{code="503"}', end - 2, end, 1);
      expect(series?.points.length).toBeGreaterThanOrEqual(2);
      expect(series?.points.every(([, value]) => value === 1)).toBe(true);
    });

    it('then while paused it does not answer, and after unpause it does', async () => {
      await prometheus.pause();
      await expect(
        fetch(`${prometheus.url}/-/ready`, { signal: AbortSignal.timeout(500) }),
      ).rejects.toThrow();
      await prometheus.unpause();
      expect((await fetch(`${prometheus.url}/-/ready`)).status).toBe(200);
    });
  });

  describe('when it starts with an hour of backfilled histogram history', () => {
    const bounds = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10];
    const latency = uniform(0.2, 2.2);
    let prometheus: RunningPrometheus;

    beforeAll(async () => {
      const families = syntheticHistory({
        durationSeconds: 3600,
        stepSeconds: 15,
        histograms: [
          {
            name: 'vllm:e2e_request_latency_seconds',
            buckets: bounds,
            series: [
              { labels: { pod: 'stable-0', model_name: 'm' }, perSecond: 20, distribution: latency },
              { labels: { pod: 'stable-1', model_name: 'm' }, perSecond: 30, distribution: latency },
            ],
          },
        ],
        counters: [
          { name: 'vllm:request_success_total', series: [{ labels: { pod: 'stable-0' }, value: 20 }] },
        ],
      });
      prometheus = await startPrometheus({ backfill: writeOpenMetrics(families) });
    });
    afterAll(async () => {
      await prometheus?.stop();
    });

    it('then histogram_quantile right away equals the interpolated value of the configured distribution', async () => {
      const p95 = await prometheus.queryNumber(
        'histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket[5m])))',
      );
      // True p95 is 2.1, in bucket (2, 2.5]; shares 0.9 and 1.0 at its edges put Prometheus' answer at 2.25.
      expect(latency.quantile(0.95)).toBeCloseTo(2.1, 9);
      expect(interpolatedQuantile(0.95, bounds, latency)).toBeCloseTo(2.25, 9);
      expect(p95).toBeCloseTo(2.25, 3);
    });

    it('then counters carry the configured rate over the whole hour', async () => {
      const rate = await prometheus.queryNumber('rate(vllm:request_success_total[1h])');
      expect(rate).toBeCloseTo(20, 1);
      const total = await prometheus.queryNumber('sum(vllm:e2e_request_latency_seconds_count)');
      expect(total).toBeGreaterThan(49 * 3500);
    });
  });

  describe('when it is stopped twice', () => {
    it('then the container is gone and the second stop does nothing', async () => {
      const prometheus = await startPrometheus();
      await prometheus.stop();
      await prometheus.stop();
      const client = await dockerClient();
      await expect(client.container.getById(prometheus.containerId).inspect()).rejects.toThrow(
        /no such container/i,
      );
    });
  });
});
