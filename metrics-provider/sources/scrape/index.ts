// Public surface of the embedded scrape source: scrapes vLLM pods' /metrics itself and answers the MetricSource
// questions with Prometheus' arithmetic, for clusters without Prometheus and for the laptop demo.
export {
  createScrapeSource,
  resolveScrapeOptions,
  type ScrapeSourceDeps,
  type ScrapeSourceOptions,
} from './create-scrape-source.js';
export { ScrapeSource, type ScrapeStats } from './scrape-source.js';
export type { Clock, FetchLike, TargetHealth, TargetStatus, Timers } from './scraper.js';
export type { ScrapeTarget } from './targets.js';
export type { KubernetesDiscoveryOptions } from './kubernetes-discovery.js';
export { PROMQL_SEMANTICS, type PromqlSemantics } from './promql-functions.js';
export {
  ExpositionError,
  parseExposition,
  type MetricType,
  type ParsedPage,
  type ParsedSample,
} from './exposition-parser.js';
export { extrapolatedIncrease, maxOverTime, avgOverTime, type Points } from './promql-functions.js';
