// Synthetic metric history for backfill: deterministic counters, gauges and histograms at fixed steps, where each
// histogram's bucket shares follow a known distribution, so a test knows in advance what a query must return.
import { normalCdf, normalQuantile } from '../../metrics-provider/judge/stats/normal.js';
import type { HistogramPoint, Labels, MetricFamily, ScalarPoint } from './openmetrics.js';

export { normalCdf, normalQuantile };

/** A latency distribution, known exactly. */
export interface Distribution {
  readonly description: string;
  readonly mean: number;
  cdf(x: number): number;
  quantile(p: number): number;
}

/** Uniform on [min, max]. */
export function uniform(min: number, max: number): Distribution {
  if (!(max > min)) throw new Error(`uniform: max (${max}) must exceed min (${min})`);
  return {
    description: `uniform(${min}, ${max})`,
    mean: (min + max) / 2,
    cdf: (x) => Math.min(1, Math.max(0, (x - min) / (max - min))),
    quantile: (p) => min + p * (max - min),
  };
}

/** Exponential with the given mean. */
export function exponential(mean: number): Distribution {
  if (!(mean > 0)) throw new Error(`exponential: mean must be positive, got ${mean}`);
  return {
    description: `exponential(mean ${mean})`,
    mean,
    cdf: (x) => (x <= 0 ? 0 : 1 - Math.exp(-x / mean)),
    quantile: (p) => -mean * Math.log(1 - p),
  };
}

/** Log-normal with the given median and sigma of the underlying normal. */
export function logNormal(median: number, sigma: number): Distribution {
  if (!(median > 0) || !(sigma > 0)) throw new Error('logNormal: median and sigma must be positive');
  const mu = Math.log(median);
  return {
    description: `logNormal(median ${median}, sigma ${sigma})`,
    mean: Math.exp(mu + (sigma * sigma) / 2),
    cdf: (x) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma)),
    quantile: (p) => Math.exp(mu + sigma * normalQuantile(p)),
  };
}

export interface HistogramSeriesSpec {
  readonly labels: Labels;
  /** Observations per second, steady over the whole history. */
  readonly perSecond: number;
  readonly distribution: Distribution;
}

export interface ScalarSeriesSpec {
  readonly labels: Labels;
  /** Counters: increase per second. Gauges: the value, or a function of Unix seconds. */
  readonly value: number | ((timestamp: number) => number);
}

export interface SyntheticHistoryOptions {
  /** Time of the last sample, Unix seconds or a Date. @default five seconds ago */
  readonly end?: number | Date;
  /** @default 3600 */
  readonly durationSeconds?: number;
  /** @default 15 */
  readonly stepSeconds?: number;
  readonly histograms?: ReadonlyArray<{
    readonly name: string;
    readonly buckets: readonly number[];
    readonly series: readonly HistogramSeriesSpec[];
  }>;
  readonly counters?: ReadonlyArray<{ readonly name: string; readonly series: readonly ScalarSeriesSpec[] }>;
  readonly gauges?: ReadonlyArray<{ readonly name: string; readonly series: readonly ScalarSeriesSpec[] }>;
}

/**
 * Families for `writeOpenMetrics`, sampled every `stepSeconds` from `end - durationSeconds` to `end`. Counters start
 * at 0 and grow linearly; a histogram's cumulative bucket `le` holds round(total * cdf(le)), so over any window the
 * bucket shares equal the distribution's CDF up to one observation of rounding.
 */
export function syntheticHistory(options: SyntheticHistoryOptions): MetricFamily[] {
  const { durationSeconds = 3600, stepSeconds = 15 } = options;
  const endRaw = options.end ?? Date.now() / 1000 - 5;
  const end = Math.floor(endRaw instanceof Date ? endRaw.getTime() / 1000 : endRaw);
  if (!(stepSeconds > 0) || !(durationSeconds >= stepSeconds)) {
    throw new Error('syntheticHistory: need stepSeconds > 0 and durationSeconds >= stepSeconds');
  }
  const steps = Math.floor(durationSeconds / stepSeconds);
  const times = Array.from({ length: steps + 1 }, (_, i) => end - (steps - i) * stepSeconds);
  const start = times[0] as number;

  const histograms: MetricFamily[] = (options.histograms ?? []).map(({ name, buckets, series }) => ({
    type: 'histogram',
    name,
    points: series.flatMap(({ labels, perSecond, distribution }) =>
      times.map((timestamp): HistogramPoint => {
        const count = Math.round(perSecond * (timestamp - start));
        return {
          labels,
          timestamp,
          count,
          sum: count * distribution.mean,
          buckets: buckets.map((le) => [le, Math.round(count * distribution.cdf(le))] as const),
        };
      }),
    ),
  }));
  const scalar =
    (type: 'counter' | 'gauge') => (family: { name: string; series: readonly ScalarSeriesSpec[] }) => ({
      type,
      name: family.name,
      points: family.series.flatMap(({ labels, value }) =>
        times.map((timestamp): ScalarPoint => {
          const at = typeof value === 'function' ? value(timestamp) : value;
          return { labels, timestamp, value: type === 'counter' ? at * (timestamp - start) : at };
        }),
      ),
    });
  return [
    ...histograms,
    ...(options.counters ?? []).map(scalar('counter')),
    ...(options.gauges ?? []).map(scalar('gauge')),
  ] as MetricFamily[];
}
