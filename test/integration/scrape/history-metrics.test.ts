import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createProviderMetrics } from '../../../metrics-provider/api/provider-metrics.js';
import { configFrom } from '../../../metrics-provider/config/index.js';
import { createMetricSource } from '../../../metrics-provider/sources/factory.js';
import type { MetricSource } from '../../../metrics-provider/sources/metric-source.js';
import { MAX_BYTES_PER_SAMPLE } from '../../../metrics-provider/sources/scrape/series-store.js';
import { podPage, startFaultyExporter, type FaultyExporter } from '../../reliability/faulty-exporter.js';
import { waitFor } from '../../harness/index.js';

let exporter: FaultyExporter | undefined;
let source: MetricSource | undefined;

afterEach(async () => {
  await source?.close();
  await exporter?.close();
});

describe('the scrape source on the provider /metrics', () => {
  it('when the source has scraped a vLLM pod then /metrics shows its series, samples and their bytes', async () => {
    exporter = await startFaultyExporter([{ name: 'vllm-0', fault: 'none' }]);
    const config = configFrom({
      source: {
        type: 'scrape',
        scrape: {
          intervalSeconds: 1,
          timeoutSeconds: 1,
          staticTargets: [{ url: exporter.podUrl('vllm-0'), labels: { namespace: 'llm', pod: 'vllm-0' } }],
        },
      },
    });
    const metrics = createProviderMetrics(undefined, false);
    source = createMetricSource(config, { metrics, logger: pino({ level: 'silent' }) });
    const gauge = async (name: string) => {
      const text = await metrics.registry.getSingleMetricAsString(name);
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    };
    const seriesOnPage = podPage('none', 0)
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#')).length;
    // Three scrapes, a second apart.
    await waitFor(async () => (await gauge('vllm_canary_scrape_samples')) >= 3 * seriesOnPage, {
      timeoutMs: 10_000,
    });
    expect(await gauge('vllm_canary_scrape_series')).toBe(seriesOnPage);
    const samples = await gauge('vllm_canary_scrape_samples');
    expect(samples).toBeGreaterThanOrEqual(3 * seriesOnPage);
    // Each series: a string header of 16 bytes, a first sample of at least 7 (a 6-byte timestamp and a value),
    // and at most MAX_BYTES_PER_SAMPLE for any sample.
    const bytes = await gauge('vllm_canary_scrape_sample_bytes');
    expect(bytes).toBeGreaterThan(seriesOnPage * (16 + 7));
    expect(bytes).toBeLessThanOrEqual(seriesOnPage * 16 + samples * MAX_BYTES_PER_SAMPLE);
  });
});
