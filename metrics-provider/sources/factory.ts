// Builds the configured metric source, reading its secrets from files here so the rest of the provider never sees
// a file path or handles a credential it does not need.
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { ProviderConfig } from '../config/index.js';
import { registerHistoryMetrics, type ProviderMetrics } from '../api/provider-metrics.js';
import type { MetricSource } from './metric-source.js';
import { PrometheusSource } from './prometheus/index.js';
import { createScrapeSource } from './scrape/index.js';

export interface SourceDependencies {
  readonly metrics: ProviderMetrics;
  readonly logger: Logger;
  /** Sees every PromQL query sent (tests audit them for injection). */
  readonly onQuery?: (promql: string) => void;
}

export function createMetricSource(config: ProviderConfig, deps: SourceDependencies): MetricSource {
  const source = config.source;
  switch (source.type) {
    case 'prometheus': {
      const p = source.prometheus;
      return new PrometheusSource({
        url: p.url,
        bearerToken: p.bearerTokenFile === undefined ? undefined : readSecret(p.bearerTokenFile),
        basicAuth:
          p.basicAuth === undefined
            ? undefined
            : { username: p.basicAuth.username, password: readSecret(p.basicAuth.passwordFile) },
        headers: p.headers,
        ca: p.tls?.caFile === undefined ? undefined : readFileSync(p.tls.caFile, 'utf8'),
        insecureSkipVerify: p.tls?.insecureSkipVerify ?? false,
        timeoutMs: p.timeoutSeconds * 1000,
        labels: config.labels,
        cacheTtlMs: p.cacheTtlSeconds * 1000,
        cacheEvents: {
          onHit: () => deps.metrics.cache.inc({ result: 'hit' }),
          onMiss: () => deps.metrics.cache.inc({ result: 'miss' }),
          onCoalesced: () => deps.metrics.cache.inc({ result: 'coalesced' }),
        },
        onQuery: (promql) => {
          deps.metrics.backendQueries.inc();
          deps.onQuery?.(promql);
        },
      });
    }
    case 'scrape': {
      const c = source.scrape;
      const scrape = createScrapeSource(
        {
          intervalSeconds: c.intervalSeconds,
          timeoutSeconds: c.timeoutSeconds,
          retentionSeconds: c.retentionSeconds,
          maxSeries: c.maxSeries,
          labels: config.labels,
          staticTargets: c.staticTargets,
          kubernetes: c.kubernetes === undefined ? [] : [c.kubernetes],
        },
        { logger: deps.logger },
      );
      registerHistoryMetrics(deps.metrics.registry, () => scrape.stats());
      return scrape;
    }
  }
}

/** A secret from a file, trimmed of the newline editors and kubectl leave behind. */
export function readSecret(file: string): string {
  const value = readFileSync(file, 'utf8').trim();
  if (value === '') throw new Error(`secret file ${file} is empty`);
  return value;
}
