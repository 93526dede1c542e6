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

/**
 * A query in two parts: the range expression over one track's series, and the aggregation across its pods. Kept
 * apart so that several tracks' expressions can share one aggregation (renderTrackQuery).
 */
export interface QueryParts {
  /** The aggregation operator: `sum`, `max`, `avg` or `group`. */
  readonly aggregation: string;
  /** The labels the aggregation keeps (`le` of a histogram, a counter's grouping label). */
  readonly by: readonly string[];
  /** The range expression over the track's series, e.g. `increase(m_bucket{...}[300s])`. */
  readonly expression: string;
  /** The label whose value tells this track apart (the pod-template-hash or the service label). */
  readonly trackLabel: string;
  readonly trackValue: string;
}

/** The parts of one signal query. */
export function queryParts(query: SignalQuery, labels: TrackLabels): QueryParts {
  const window = duration(query.windowSeconds);
  const track = trackPart(query.track, labels);
  switch (query.kind) {
    case 'histogram': {
      const sel = trackMatchers(query.track, labels, query.hasModelLabel);
      const expression = `increase(${metricName(`${query.metric}_bucket`)}{${sel}}[${window}])`;
      return { aggregation: 'sum', by: ['le'], expression, ...track };
    }
    case 'counter': {
      const sel = trackMatchers(query.track, labels, query.hasModelLabel, query.match);
      const by = query.groupBy === undefined ? [] : [labelName(query.groupBy)];
      return {
        aggregation: 'sum',
        by,
        expression: `increase(${metricName(query.metric)}{${sel}}[${window}])`,
        ...track,
      };
    }
    case 'gauge': {
      const sel = trackMatchers(query.track, labels, query.hasModelLabel);
      const fn = query.aggregate === 'max' ? 'max' : 'avg';
      return {
        aggregation: fn,
        by: [],
        expression: `${fn}_over_time(${metricName(query.metric)}{${sel}}[${window}])`,
        ...track,
      };
    }
  }
}

/** The parts of a question for which of the candidate metric names have series for the track (Prometheus' 5m lookback). */
export function presenceParts(
  candidates: readonly string[],
  track: TrackSelector,
  labels: TrackLabels,
): QueryParts {
  if (candidates.length === 0) throw new Error('no candidate metric names');
  const names = candidates.map((n) => escapeRegex(metricName(n))).join('|');
  const sel = trackMatchers(track, labels, false);
  return {
    aggregation: 'group',
    by: ['__name__'],
    expression: `{__name__=~${quoteLabelValue(names)}, ${sel}}`,
    ...trackPart(track, labels),
  };
}

/** Renders the PromQL for one signal query: one figure (or one per `by` group) for the track. */
export function renderQuery(query: SignalQuery, labels: TrackLabels): string {
  const parts = queryParts(query, labels);
  return aggregate(parts.aggregation, parts.by, parts.expression);
}

/**
 * The aggregation several tracks' parts share, naming the track label too: parts with the same shape can be asked
 * in one query (renderTrackQuery).
 */
export function trackQueryShape(parts: QueryParts): string {
  return `${parts.aggregation} by (${[...parts.by, parts.trackLabel].join(', ')})`;
}

/**
 * One query for several tracks: their expressions joined with `or` under one aggregation that also keeps the track
 * label, so each result series belongs to exactly one track. A check's canary and stable then cost one round trip
 * instead of two. `or` keeps every series of both sides, because series of different tracks differ in that label.
 * The parts must share one shape (trackQueryShape) and differ in track value.
 */
export function renderTrackQuery(parts: readonly QueryParts[]): string {
  const [first] = parts;
  if (first === undefined) throw new Error('no queries to render');
  const shape = trackQueryShape(first);
  const values = new Set<string>();
  for (const p of parts) {
    if (trackQueryShape(p) !== shape)
      throw new Error(`queries of different shapes: ${shape}, ${trackQueryShape(p)}`);
    if (values.has(p.trackValue))
      throw new Error(`two queries for the same track ${JSON.stringify(p.trackValue)}`);
    values.add(p.trackValue);
  }
  return `${shape} (${parts.map((p) => p.expression).join(' or ')})`;
}

function trackPart(track: TrackSelector, labels: TrackLabels): Pick<QueryParts, 'trackLabel' | 'trackValue'> {
  return {
    trackLabel: labelName(track.by === 'service' ? labels.service : labels.podTemplateHash),
    trackValue: track.value,
  };
}

function aggregate(aggregation: string, by: readonly string[], expression: string): string {
  return by.length === 0
    ? `${aggregation} (${expression})`
    : `${aggregation} by (${by.join(', ')}) (${expression})`;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
