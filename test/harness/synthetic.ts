// Synthetic metric history for backfill: deterministic counters, gauges and histograms at fixed steps, where each
// histogram's bucket shares follow a known distribution, so a test knows in advance what a query must return.
import type { HistogramPoint, Labels, MetricFamily, ScalarPoint } from './openmetrics.js';

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

/** Standard normal CDF (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const tail = (q: number): number =>
    (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
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
