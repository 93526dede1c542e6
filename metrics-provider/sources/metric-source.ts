// The MetricSource interface: what the provider asks of any source of vLLM metrics (Prometheus, or its own scrapes).
// Questions are typed signals rather than PromQL, so the embedded scrape source can answer the same questions and the
// Prometheus source alone knows how to phrase them.

/** Which pods make up one track (canary or stable). */
export interface TrackSelector {
  readonly namespace: string;
  /** vLLM's served model name (`model_name` label); HTTP metrics carry no model label and ignore it. */
  readonly model: string;
  /** How the track is told apart: by the Rollout's pod-template-hash, or by the Service (job) in front of it. */
  readonly by: 'pod-template-hash' | 'service';
  readonly value: string;
}

/** Label matchers on the metric itself, beyond the track selector (e.g. `status="5xx"`). */
export type LabelMatch = Readonly<Record<string, readonly string[]>>;

interface BaseQuery {
  readonly metric: string;
  readonly track: TrackSelector;
  /** Look-back window in seconds, ending now. */
  readonly windowSeconds: number;
  /** Whether the metric carries `model_name` (vLLM's own metrics do; `http_requests_total` does not). */
  readonly hasModelLabel: boolean;
}

/** Per-bucket increase of a histogram over the window, summed over the track's pods. */
export interface HistogramQuery extends BaseQuery {
  readonly kind: 'histogram';
}
/** Increase of a counter over the window, summed over pods, optionally grouped by one label and filtered. */
export interface CounterQuery extends BaseQuery {
  readonly kind: 'counter';
  readonly groupBy?: string;
  readonly match?: LabelMatch;
}
/** A gauge over the window: the highest value any pod reached, or the mean across pods and time. */
export interface GaugeQuery extends BaseQuery {
  readonly kind: 'gauge';
  readonly aggregate: 'max' | 'avg';
}
export type SignalQuery = HistogramQuery | CounterQuery | GaugeQuery;

/** Bucket increments: `upperBounds` ascending and ending with Infinity; `counts` non-cumulative, same length. */
export interface HistogramData {
  readonly upperBounds: readonly number[];
  readonly counts: readonly number[];
}

export interface SignalAnswer<T> {
  readonly value: T;
  /** The query as the source ran it (PromQL for Prometheus), for the answer's explanation. */
  readonly query: string;
  /** Scrape targets that failed, when the source knows (embedded source); empty otherwise. */
  readonly unhealthyTargets?: readonly string[];
}

/** What a source found: counts per group (key '' when ungrouped); an empty record means no series. */
export type CounterData = Readonly<Record<string, number>>;

export interface SourceHealth {
  readonly ok: boolean;
  readonly detail: string;
}

export interface MetricSource {
  /** A short name for logs and answers ("prometheus", "scrape"). */
  readonly name: string;
  /** Bucket increments over the window; `undefined` when the track has no such series. */
  histogram(query: HistogramQuery, signal?: AbortSignal): Promise<SignalAnswer<HistogramData | undefined>>;
  /** Counter increases over the window, per group. */
  counter(query: CounterQuery, signal?: AbortSignal): Promise<SignalAnswer<CounterData>>;
  /** A gauge aggregated over the window; `undefined` when the track has no such series. */
  gauge(query: GaugeQuery, signal?: AbortSignal): Promise<SignalAnswer<number | undefined>>;
  /** Which of the candidate metric names the track's pods expose (for vLLM version differences). */
  presentMetrics(
    candidates: readonly string[],
    track: TrackSelector,
    signal?: AbortSignal,
  ): Promise<readonly string[]>;
  /** Whether the source answers at all (readiness). */
  health(signal?: AbortSignal): Promise<SourceHealth>;
  /** Releases timers and connections. */
  close(): Promise<void>;
}
