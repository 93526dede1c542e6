// The provider's own /metrics: requests, answer latency, verdicts by check, backend errors and cache use, on a
// registry passed in (never prom-client's global one) so tests and embedded use stay isolated.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ProviderMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'status'>;
  readonly duration: Histogram<'route'>;
  readonly verdicts: Counter<'check' | 'verdict'>;
  readonly backendErrors: Counter<'code'>;
  readonly backendQueries: Counter;
  readonly cache: Counter<'result'>;
}

export function createProviderMetrics(registry = new Registry(), withProcessMetrics = true): ProviderMetrics {
  if (withProcessMetrics) collectDefaultMetrics({ register: registry, prefix: 'vllm_canary_' });
  return {
    registry,
    requests: new Counter({
      name: 'vllm_canary_http_requests_total',
      help: 'API requests answered, by route and HTTP status',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'vllm_canary_http_request_duration_seconds',
      help: 'Time to answer an API request',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    verdicts: new Counter({
      name: 'vllm_canary_verdicts_total',
      help: 'Verdicts given, by check',
      labelNames: ['check', 'verdict'],
      registers: [registry],
    }),
    backendErrors: new Counter({
      name: 'vllm_canary_backend_errors_total',
      help: 'Errors answered because the metric source failed, by error code',
      labelNames: ['code'],
      registers: [registry],
    }),
    backendQueries: new Counter({
      name: 'vllm_canary_backend_queries_total',
      help: 'Queries sent to the metric source (after caching and coalescing)',
      registers: [registry],
    }),
    cache: new Counter({
      name: 'vllm_canary_query_cache_total',
      help: 'Query cache lookups: hit, miss, or coalesced onto a query in flight',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}

/** What the scrape source's history holds, as it reports it (ScrapeSource.stats()). */
export interface HistoryStats {
  readonly series: number;
  readonly samples: number;
  readonly sampleBytes: number;
}

/** The scrape source's history on /metrics, read when scraped, so memory can be sized from what pods expose. */
export function registerHistoryMetrics(registry: Registry, stats: () => HistoryStats): void {
  const gauges: [string, string, keyof HistoryStats][] = [
    ['vllm_canary_scrape_series', 'Series the scrape source keeps', 'series'],
    ['vllm_canary_scrape_samples', 'Samples the scrape source keeps', 'samples'],
    ['vllm_canary_scrape_sample_bytes', 'Bytes the kept samples take (compressed and raw)', 'sampleBytes'],
  ];
  for (const [name, help, field] of gauges) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(stats()[field]);
      },
    });
  }
}
