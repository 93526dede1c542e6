// The Prometheus metric source: renders each typed signal query to PromQL (promql.ts), asks a check's two tracks in
// one query (track-batcher.ts), runs it through the client (client.ts) behind the coalescing cache, and turns
// vectors into the shapes the checks judge. Anything Prometheus answers that cannot be judged (NaN, a histogram
// without +Inf, several series where one was expected) is an error.
import { UnexpectedDataError } from '../../errors.js';
import type {
  CounterData,
  CounterQuery,
  GaugeQuery,
  HistogramData,
  HistogramQuery,
  MetricSource,
  SignalAnswer,
  SourceHealth,
  TrackSelector,
} from '../metric-source.js';
import type { VectorSample } from './client.js';
import { PrometheusClient, type PrometheusClientOptions } from './client.js';
import { CoalescingCache, type CacheEvents } from './coalescing-cache.js';
import { DEFAULT_TRACK_LABELS, presenceParts, queryParts, type TrackLabels } from './promql.js';
import { TrackBatcher } from './track-batcher.js';

export interface PrometheusSourceOptions extends PrometheusClientOptions {
  readonly labels?: TrackLabels;
  /** How long an answer is reused for the same query; 0 turns caching off (coalescing stays). */
  readonly cacheTtlMs: number;
  readonly cacheMaxEntries?: number;
  readonly cacheEvents?: CacheEvents;
  /** Called with every PromQL query sent to Prometheus (metrics and the injection audit in tests). */
  readonly onQuery?: (promql: string) => void;
}

export class PrometheusSource implements MetricSource {
  readonly name = 'prometheus';
  private readonly client: PrometheusClient;
  private readonly cache: CoalescingCache<VectorSample[]>;
  private readonly labels: TrackLabels;
  private readonly batcher = new TrackBatcher((promql, signal) => this.run(promql, signal));

  constructor(private readonly options: PrometheusSourceOptions) {
    this.client = new PrometheusClient(options);
    this.labels = options.labels ?? DEFAULT_TRACK_LABELS;
    this.cache = new CoalescingCache(
      options.cacheTtlMs,
      options.cacheMaxEntries ?? 10_000,
      options.cacheEvents,
    );
  }

  async histogram(
    query: HistogramQuery,
    signal?: AbortSignal,
  ): Promise<SignalAnswer<HistogramData | undefined>> {
    const { promql, vector } = await this.batcher.ask(queryParts(query, this.labels), signal);
    return { query: promql, value: vector.length === 0 ? undefined : toHistogram(vector, query.metric) };
  }

  async counter(query: CounterQuery, signal?: AbortSignal): Promise<SignalAnswer<CounterData>> {
    const { promql, vector } = await this.batcher.ask(queryParts(query, this.labels), signal);
    const value: Record<string, number> = {};
    for (const sample of vector) {
      const key = query.groupBy === undefined ? '' : (sample.labels[query.groupBy] ?? '');
      value[key] = finite(sample.value, query.metric);
    }
    return { query: promql, value };
  }

  async gauge(query: GaugeQuery, signal?: AbortSignal): Promise<SignalAnswer<number | undefined>> {
    const { promql, vector } = await this.batcher.ask(queryParts(query, this.labels), signal);
    if (vector.length > 1) {
      throw new UnexpectedDataError(
        `${query.metric}: ${vector.length} series where one aggregate was expected`,
      );
    }
    return {
      query: promql,
      value: vector[0] === undefined ? undefined : finite(vector[0].value, query.metric),
    };
  }

  async presentMetrics(
    candidates: readonly string[],
    track: TrackSelector,
    signal?: AbortSignal,
  ): Promise<string[]> {
    const { vector } = await this.batcher.ask(presenceParts(candidates, track, this.labels), signal);
    const found = new Set(vector.map((s) => s.labels.__name__));
    return candidates.filter((name) => found.has(name));
  }

  /** One number from an instant query (e.g. the provider's own quality metrics); undefined when it has no series. */
  async instant(promql: string, signal?: AbortSignal): Promise<number | undefined> {
    const vector = await this.run(promql, signal);
    if (vector.length > 1)
      throw new UnexpectedDataError(`${vector.length} series where one value was expected`);
    return vector[0] === undefined ? undefined : finite(vector[0].value, 'instant query');
  }

  async health(signal?: AbortSignal): Promise<SourceHealth> {
    try {
      await this.client.ready(signal);
      return { ok: true, detail: 'Prometheus answers queries' };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private run(promql: string, signal?: AbortSignal): Promise<VectorSample[]> {
    return this.cache.get(promql, () => {
      this.options.onQuery?.(promql);
      return this.client.queryVector(promql, signal);
    });
  }
}

/** `sum by (le)` buckets, cumulative as Prometheus keeps them, to ascending non-cumulative increments. */
export function toHistogram(vector: readonly VectorSample[], metric: string): HistogramData {
  const buckets = vector.map((sample) => {
    const le = sample.labels.le;
    if (le === undefined) throw new UnexpectedDataError(`${metric}: a bucket series without an le label`);
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    if (Number.isNaN(bound)) throw new UnexpectedDataError(`${metric}: bucket bound ${le} is not a number`);
    return { bound, cumulative: finite(sample.value, metric) };
  });
  buckets.sort((a, b) => a.bound - b.bound);
  if (buckets.at(-1)?.bound !== Number.POSITIVE_INFINITY) {
    throw new UnexpectedDataError(`${metric}: the histogram has no +Inf bucket`);
  }
  let previous = 0;
  const counts = buckets.map(({ cumulative }) => {
    // increase() extrapolates each bucket on its own, so cumulative counts can dip by a hair; never count below 0.
    const count = Math.max(0, cumulative - previous);
    previous = Math.max(previous, cumulative);
    return count;
  });
  return { upperBounds: buckets.map((b) => b.bound), counts };
}

function finite(value: number, metric: string): number {
  if (!Number.isFinite(value)) throw new UnexpectedDataError(`${metric}: Prometheus answered ${value}`);
  return value;
}
