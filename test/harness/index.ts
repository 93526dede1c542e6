// The integration-test harness: a real Prometheus in a container, backfilled history, and small waiting helpers.
export { startPrometheus } from './prometheus.js';
export type { RunningPrometheus, StartPrometheusOptions } from './prometheus.js';
export { PrometheusApi, parseSampleValue } from './prometheus-api.js';
export type { InstantResult, QueryTime, RangeSeries, TargetHealth, VectorSample } from './prometheus-api.js';
export { scrapeConfig, SCRAPE_JOB } from './scrape-config.js';
export type { ScrapeTarget } from './scrape-config.js';
export { writeOpenMetrics, formatValue } from './openmetrics.js';
export type { HistogramPoint, Labels, MetricFamily, ScalarPoint, WriteOptions } from './openmetrics.js';
export { syntheticHistory, uniform, exponential, logNormal, normalCdf, normalQuantile } from './synthetic.js';
export type {
  Distribution,
  HistogramSeriesSpec,
  ScalarSeriesSpec,
  SyntheticHistoryOptions,
} from './synthetic.js';
export {
  UPSTREAM_PROMETHEUS_IMAGE,
  TEST_LABEL,
  prometheusImage,
  dockerClient,
  loadSetupEnv,
} from './docker.js';
export { freePort, waitFor } from './wait.js';
export type { WaitForOptions } from './wait.js';
