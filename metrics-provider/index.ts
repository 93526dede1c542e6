// Public surface of the metric provider.
export {
  startProvider,
  createLogger,
  REDACTED_LOG_PATHS,
  type ProviderOptions,
  type RunningProvider,
} from './server.js';
export { serveUntilStopped } from './workers/run.js';
export {
  loadConfig,
  configFrom,
  overridesFromEnv,
  ConfigError,
  CONFIG_SCHEMA,
  type ProviderConfig,
  type ConfigOverrides,
} from './config/index.js';
export { createProviderMetrics, type ProviderMetrics } from './api/provider-metrics.js';
export { OPENAPI_DOCUMENT } from './api/openapi.js';
export { createApp } from './api/app.js';
export type { MetricSource, TrackSelector, HistogramData, SignalQuery } from './sources/metric-source.js';
export { PrometheusSource, quoteLabelValue, renderQuery } from './sources/prometheus/index.js';
export { createMetricSource } from './sources/factory.js';
export type {
  QualityObserver,
  QualityQuestion,
  QualityObservation,
  QualityParams,
} from './checks/quality.js';
export type { CheckAnswer } from './checks/run-check.js';
export type { CompositeAnswer } from './checks/composite.js';
export { CHECK_NAMES, type CheckName } from './checks/types.js';
export * as catalog from './catalog/index.js';
export * as judge from './judge/index.js';
export * from './errors.js';
