// The embedded scrape source: answers the MetricSource questions from the series it scraped itself, with the
// numbers Prometheus would give on the same samples — `sum by (le) (increase(x_bucket[w]))`,
// `sum by (g) (increase(c[w]))`, `max(max_over_time(g[w]))`, `avg(avg_over_time(g[w]))` — and says which of the
// track's targets failed their last scrape. A track whose every target is failing gets BackendUnreachableError,
// never an answer built from what is left in memory (see docs/scrape-source.md).
import type { Logger } from 'pino';
import { BackendUnreachableError, InvalidRequestError, UnexpectedDataError } from '../../errors.js';
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
import { renderQuery, toHistogram, type TrackLabels } from '../prometheus/index.js';
import { parseFloatValue } from './exposition-parser.js';
import {
  avgOverTime,
  closedRangeStart,
  extrapolatedIncrease,
  inRange,
  kahanSum,
  maxOverTime,
  type PromqlSemantics,
} from './promql-functions.js';
import type { Clock, Scraper, TargetStatus } from './scraper.js';
import { seriesMatches, targetMatches } from './selector.js';
import {
  CHUNK_SAMPLES,
  MAX_BYTES_PER_SAMPLE,
  SERIES_ALLOWANCE_BYTES,
  type Series,
  type SeriesStore,
} from './series-store.js';
import { targetName, type TargetDiscovery } from './targets.js';

export interface ScrapeSourceSettings {
  readonly labels: TrackLabels;
  readonly promql: PromqlSemantics;
  readonly retentionMs: number;
  /** How far back an instant lookup (presentMetrics) looks for a sample, as Prometheus' lookback delta. */
  readonly lookbackMs: number;
}

export interface ScrapeStats {
  readonly targets: number;
  readonly healthy: number;
  readonly series: number;
  readonly samples: number;
  /** Approximate bytes held by the series history. */
  readonly bytes: number;
  /** Bytes the samples alone take (compressed and raw). */
  readonly sampleBytes: number;
  readonly maxSeries: number;
  readonly maxSamplesPerSeries: number;
  /**
   * The most the history can hold: maxSeries x ((maxSamplesPerSeries + a chunk) x the largest a sample can take
   * + 1 KiB for labels and bookkeeping). Typical vLLM series take a small fraction of it (see sampleBytes).
   */
  readonly boundBytes: number;
}

export class ScrapeSource implements MetricSource {
  readonly name = 'scrape';
  private closed = false;

  constructor(
    private readonly settings: ScrapeSourceSettings,
    private readonly store: SeriesStore,
    private readonly scraper: Scraper,
    private readonly discoveries: readonly TargetDiscovery[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly started: Promise<void>,
    private readonly onClose: () => void,
  ) {}

  /** Resolves once every discovery has listed its targets once (scrapes follow at each target's offset). */
  ready(): Promise<void> {
    return this.started;
  }

  async histogram(query: HistogramQuery): Promise<SignalAnswer<HistogramData | undefined>> {
    const text = renderQuery(query, this.settings.labels);
    this.checkWindow(query);
    const { unhealthyTargets, answerable } = this.trackHealth(query.track);
    if (!answerable) return { query: text, value: undefined, unhealthyTargets };
    const end = this.clock.now();
    const byLe = new Map<string | undefined, number[]>();
    for (const series of this.select(`${query.metric}_bucket`, query)) {
      const increase = this.increase(series, end, query.windowSeconds);
      if (increase === undefined) continue;
      const le = normalizeLe(series.labels.le);
      const list = byLe.get(le) ?? [];
      list.push(increase);
      byLe.set(le, list);
    }
    const vector = [...byLe].map(([le, values]) => ({
      labels: (le === undefined ? {} : { le }) as Record<string, string>,
      value: kahanSum(values),
    }));
    const value = vector.length === 0 ? undefined : toHistogram(vector, query.metric);
    return { query: text, value, unhealthyTargets };
  }

  async counter(query: CounterQuery): Promise<SignalAnswer<CounterData>> {
    const text = renderQuery(query, this.settings.labels);
    this.checkWindow(query);
    const { unhealthyTargets, answerable } = this.trackHealth(query.track);
    if (!answerable) return { query: text, value: {}, unhealthyTargets };
    const end = this.clock.now();
    const groups = new Map<string, number[]>();
    for (const series of this.select(query.metric, query, query.match)) {
      const increase = this.increase(series, end, query.windowSeconds);
      if (increase === undefined) continue;
      const key = query.groupBy === undefined ? '' : (series.labels[query.groupBy] ?? '');
      const list = groups.get(key) ?? [];
      list.push(increase);
      groups.set(key, list);
    }
    const value: Record<string, number> = {};
    for (const [key, values] of groups) value[key] = finite(kahanSum(values), query.metric);
    return { query: text, value, unhealthyTargets };
  }

  async gauge(query: GaugeQuery): Promise<SignalAnswer<number | undefined>> {
    const text = renderQuery(query, this.settings.labels);
    this.checkWindow(query);
    const { unhealthyTargets, answerable } = this.trackHealth(query.track);
    if (!answerable) return { query: text, value: undefined, unhealthyTargets };
    const end = this.clock.now();
    const perSeries: number[] = [];
    for (const series of this.select(query.metric, query)) {
      const { v } = this.window(series, end, query.windowSeconds);
      const figure = query.aggregate === 'max' ? maxOverTime(v) : avgOverTime(v);
      if (figure !== undefined) perSeries.push(figure);
    }
    let value: number | undefined;
    if (perSeries.length > 0) {
      value = query.aggregate === 'max' ? maxOverTime(perSeries) : avgOverTime(perSeries);
      value = finite(value!, query.metric);
    }
    return { query: text, value, unhealthyTargets };
  }

  async presentMetrics(candidates: readonly string[], track: TrackSelector): Promise<readonly string[]> {
    const now = this.clock.now();
    const from = now - this.settings.lookbackMs;
    const { labels, promql } = this.settings;
    return candidates.filter((name) => {
      for (const series of this.store.named(name)) {
        if (series.staleSinceMs !== undefined || !inRange(series.lastTimestamp, from, now, promql)) continue;
        if (seriesMatches(series.labels, track, labels, false)) return true;
      }
      return false;
    });
  }

  async health(): Promise<SourceHealth> {
    if (this.closed) return { ok: false, detail: 'the scrape source is closed' };
    const problems = this.discoveries.map((d) => d.health()).filter((h) => !h.ok);
    const statuses = this.scraper.statuses();
    const up = statuses.filter((s) => s.health === 'up').length;
    const down = statuses.filter((s) => s.health === 'down').length;
    const counts = `${statuses.length} targets, ${up} up, ${down} down, ${this.store.size} series`;
    if (problems.length > 0)
      return { ok: false, detail: `${counts}; ${problems.map((p) => p.detail).join('; ')}` };
    if (statuses.length > 0 && down === statuses.length) {
      return { ok: false, detail: `${counts}: every target fails its scrape` };
    }
    return { ok: true, detail: statuses.length === 0 ? 'no scrape targets discovered yet' : counts };
  }

  /** Targets, their health and the memory the history holds. */
  stats(): ScrapeStats {
    const statuses = this.scraper.statuses();
    const { series, samples, bytes, sampleBytes } = this.store.stats();
    const { maxSeries, maxSamplesPerSeries } = this.store.limits;
    return {
      targets: statuses.length,
      healthy: statuses.filter((s) => s.health === 'up').length,
      series,
      samples,
      bytes,
      sampleBytes,
      maxSeries,
      maxSamplesPerSeries,
      boundBytes:
        maxSeries * ((maxSamplesPerSeries + CHUNK_SAMPLES) * MAX_BYTES_PER_SAMPLE + SERIES_ALLOWANCE_BYTES),
    };
  }

  /** Every target with its last scrape's outcome. */
  targets(): TargetStatus[] {
    return this.scraper.statuses();
  }

  /** Scrapes every target once now; tests drive the source with it instead of timers. */
  scrapeNow(): Promise<void> {
    return this.scraper.scrapeAll();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.discoveries.map((d) => d.stop()));
    await this.scraper.close();
    this.onClose();
    this.logger.info('scrape source closed');
  }

  /**
   * The track's failing targets, named for the answer, and whether to answer at all. With no target up, nothing
   * is built from what memory still holds: targets that fail make it an error (BackendUnreachableError, which Argo
   * records as an Error measurement and retries); no target, or only targets not scraped yet, makes it an empty
   * answer, which the judge calls inconclusive.
   */
  private trackHealth(track: TrackSelector): { unhealthyTargets: string[]; answerable: boolean } {
    const mine = this.scraper
      .statuses()
      .filter((s) => targetMatches(s.target.labels, track, this.settings.labels));
    const down = mine.filter((s) => s.health === 'down');
    const up = mine.filter((s) => s.health === 'up').length;
    const named = down.map((s) => `${targetName(s.target)}: ${s.lastError ?? 'scrape failed'}`);
    if (up === 0 && down.length > 0) {
      throw new BackendUnreachableError(
        `no scrape target of ${track.by} ${track.value} in namespace ${track.namespace} is up: ${named.join('; ')}`,
        { unhealthyTargets: named },
      );
    }
    return { unhealthyTargets: named, answerable: up > 0 };
  }

  /** A window longer than the history kept cannot be answered the way Prometheus would: refuse it. */
  private checkWindow(query: HistogramQuery | CounterQuery | GaugeQuery): void {
    if (query.windowSeconds * 1000 > this.settings.retentionMs) {
      throw new InvalidRequestError(
        `window ${query.windowSeconds}s is longer than the scrape source keeps (${this.settings.retentionMs / 1000}s)`,
        [
          {
            field: 'windowSeconds',
            message: 'longer than the scrape retention',
            allowed: `<= ${this.settings.retentionMs / 1000}`,
          },
        ],
      );
    }
  }

  private *select(
    name: string,
    query: HistogramQuery | CounterQuery | GaugeQuery,
    match?: CounterQuery['match'],
  ): Iterable<Series> {
    for (const series of this.store.named(name)) {
      if (seriesMatches(series.labels, query.track, this.settings.labels, query.hasModelLabel, match))
        yield series;
    }
  }

  /** The series' samples in the window ending at `end`. */
  private window(series: Series, end: number, windowSeconds: number): { t: number[]; v: number[] } {
    return series.range(end - windowSeconds * 1000, end, closedRangeStart(this.settings.promql));
  }

  private increase(series: Series, end: number, windowSeconds: number): number | undefined {
    const start = end - windowSeconds * 1000;
    return extrapolatedIncrease(this.window(series, end, windowSeconds), start, end, this.settings.promql);
  }
}

/** The le label as one spelling per bound ("1", "1.0" and "1e0" are one bucket). */
function normalizeLe(le: string | undefined): string | undefined {
  if (le === undefined) return undefined;
  const bound = parseFloatValue(le);
  if (bound === undefined || Number.isNaN(bound)) return le;
  return bound === Number.POSITIVE_INFINITY ? '+Inf' : String(bound);
}

function finite(value: number, metric: string): number {
  if (!Number.isFinite(value)) throw new UnexpectedDataError(`${metric}: the scraped series give ${value}`);
  return value;
}
