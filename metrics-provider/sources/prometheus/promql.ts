// What to ask Prometheus: the query templates for each signal, kept apart from the code that runs them.
// Every value that reaches a query goes through quoteLabelValue(), and label and metric names must match
// Prometheus' name grammar; rendering throws on a missing or malformed value instead of producing a bad query.
import type { LabelMatch, SignalQuery, TrackSelector } from '../metric-source.js';

/** The label names that tell tracks apart in the series (configurable: relabelling differs between clusters). */
export interface TrackLabels {
  readonly namespace: string;
  readonly podTemplateHash: string;
  readonly service: string;
  readonly model: string;
}

export const DEFAULT_TRACK_LABELS: TrackLabels = {
  namespace: 'namespace',
  podTemplateHash: 'rollouts_pod_template_hash',
  service: 'service',
  model: 'model_name',
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A PromQL double-quoted string literal holding `value` exactly. */
export function quoteLabelValue(value: string): string {
  let out = '"';
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return `${out}"`;
}

function labelName(name: string): string {
  if (!LABEL_NAME.test(name)) throw new Error(`invalid Prometheus label name ${JSON.stringify(name)}`);
  return name;
}

function metricName(name: string): string {
  if (!METRIC_NAME.test(name)) throw new Error(`invalid Prometheus metric name ${JSON.stringify(name)}`);
  return name;
}

function duration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`invalid window ${seconds}`);
  return `${seconds}s`;
}

/** The matchers inside `{...}` that select one track's series. */
export function trackMatchers(
  track: TrackSelector,
  labels: TrackLabels,
  hasModelLabel: boolean,
  match: LabelMatch = {},
): string {
  const trackLabel = track.by === 'service' ? labels.service : labels.podTemplateHash;
  const parts = [
    `${labelName(labels.namespace)}=${quoteLabelValue(track.namespace)}`,
    `${labelName(trackLabel)}=${quoteLabelValue(track.value)}`,
  ];
  if (hasModelLabel) parts.push(`${labelName(labels.model)}=${quoteLabelValue(track.model)}`);
  for (const [name, values] of Object.entries(match)) {
    if (values.length === 0) throw new Error(`label match on ${name} has no values`);
    parts.push(
      values.length === 1
        ? `${labelName(name)}=${quoteLabelValue(values[0]!)}`
        : `${labelName(name)}=~${quoteLabelValue(values.map(escapeRegex).join('|'))}`,
    );
  }
  return parts.join(', ');
}

/** Renders the PromQL for one signal query. */
export function renderQuery(query: SignalQuery, labels: TrackLabels): string {
  const window = duration(query.windowSeconds);
  switch (query.kind) {
    case 'histogram': {
      const sel = trackMatchers(query.track, labels, query.hasModelLabel);
      return `sum by (le) (increase(${metricName(`${query.metric}_bucket`)}{${sel}}[${window}]))`;
    }
    case 'counter': {
      const sel = trackMatchers(query.track, labels, query.hasModelLabel, query.match);
      const by = query.groupBy === undefined ? '' : ` by (${labelName(query.groupBy)})`;
      return `sum${by} (increase(${metricName(query.metric)}{${sel}}[${window}]))`;
    }
    case 'gauge': {
      const sel = trackMatchers(query.track, labels, query.hasModelLabel);
      const fn = query.aggregate === 'max' ? 'max' : 'avg';
      return `${fn}(${fn}_over_time(${metricName(query.metric)}{${sel}}[${window}]))`;
    }
  }
}

/** Which of the candidate metric names have series for the track (recent samples, Prometheus' 5m lookback). */
export function renderPresence(
  candidates: readonly string[],
  track: TrackSelector,
  labels: TrackLabels,
): string {
  if (candidates.length === 0) throw new Error('no candidate metric names');
  const names = candidates.map((n) => escapeRegex(metricName(n))).join('|');
  const sel = trackMatchers(track, labels, false);
  return `group by (__name__) ({__name__=~${quoteLabelValue(names)}, ${sel}})`;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
