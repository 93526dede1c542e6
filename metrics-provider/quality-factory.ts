// Builds the quality service from configuration: the default dataset plus any in the datasets folder, one request
// budget, fixed endpoints or Services, the API key from a file, and where scores are read back from.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ProviderConfig } from './config/index.js';
import { createQualityService, defaultDataset, loadDatasets, type QualityService } from './quality/index.js';
import { readSecret } from './sources/factory.js';
import type { MetricSource } from './sources/metric-source.js';
import { PrometheusSource } from './sources/prometheus/index.js';

export async function createQualityFromConfig(
  config: ProviderConfig,
  registry: Registry,
  source: MetricSource,
  logger: Logger,
): Promise<QualityService> {
  const q = config.quality;
  const builtIn = defaultDataset();
  const loaded = q.datasetsDir === undefined ? new Map() : await loadDatasets(q.datasetsDir);
  const datasets = [...(loaded.has(builtIn.name) ? [] : [builtIn]), ...loaded.values()];
  if (q.scoresFrom === 'prometheus' && !(source instanceof PrometheusSource)) {
    throw new Error('quality.scoresFrom: prometheus needs source.type: prometheus');
  }
  return createQualityService({
    registry,
    logger,
    datasets,
    budget: { requestsPerMinute: q.requestsPerMinute, concurrency: q.concurrency },
    timeoutSeconds: q.timeoutSeconds,
    maxTokens: q.maxTokens,
    endpoints: {
      servicePort: q.servicePort,
      ...(q.canaryUrl === undefined ? {} : { canary: q.canaryUrl }),
      ...(q.stableUrl === undefined ? {} : { stable: q.stableUrl }),
      ...(q.apiKeyFile === undefined ? {} : { apiKey: readSecret(q.apiKeyFile) }),
    },
    ...(q.scoresFrom === 'prometheus' && source instanceof PrometheusSource
      ? { instantQuery: (promql: string, signal?: AbortSignal) => source.instant(promql, signal) }
      : {}),
  });
}
