// Public surface of the Prometheus metric source.
export { PrometheusSource, type PrometheusSourceOptions, toHistogram } from './prometheus-source.js';
export { DEFAULT_TRACK_LABELS, quoteLabelValue, renderQuery, type TrackLabels } from './promql.js';
