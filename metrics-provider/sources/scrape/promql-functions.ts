// The PromQL range functions the scrape source needs, with Prometheus' arithmetic: `increase()` (extrapolatedRate),
// `max_over_time()` and `avg_over_time()`. Pure functions over one series' samples, so the numbers can be checked by
// hand and against Prometheus itself.
//
// Two details changed between Prometheus releases, and `PromqlSemantics` picks which to reproduce:
// - the range: Prometheus 2 selects samples with start <= t <= end, Prometheus 3 with start < t <= end;
// - the zero floor of a counter: until a fix in March 2024 (prometheus/prometheus#13725) Prometheus shortened the
//   extrapolation to the counter's zero point *before* choosing between "extrapolate to the window edge" and "half an
//   interval"; since then it chooses first and applies the zero point as a limit afterwards.
// "prometheus-3" is the current behaviour; "prometheus-2" is 2.x after the fix (e.g. 2.53); "prometheus-2-early" is
// 2.x before it (e.g. Debian 12's 2.42, which the project's test machines run).
export type PromqlSemantics = 'prometheus-3' | 'prometheus-2' | 'prometheus-2-early';
export const PROMQL_SEMANTICS: readonly PromqlSemantics[] = [
  'prometheus-3',
  'prometheus-2',
  'prometheus-2-early',
];

/** Whether ranges include a sample exactly at their start (Prometheus 2) or not (Prometheus 3). */
export function closedRangeStart(semantics: PromqlSemantics): boolean {
  return semantics !== 'prometheus-3';
}

/** One series' samples in a window, oldest first (stale markers already left out, as Prometheus does). */
export interface Points {
  readonly t: readonly number[];
  readonly v: readonly number[];
}

/** Whether a sample at `t` falls in the range ending at `endMs` and starting at `startMs`. */
export function inRange(t: number, startMs: number, endMs: number, semantics: PromqlSemantics): boolean {
  return t <= endMs && (closedRangeStart(semantics) ? t >= startMs : t > startMs);
}

/**
 * `increase()` of a counter over [startMs, endMs] as Prometheus computes it: the difference between the last and
 * first samples, plus the value before every counter reset, scaled from the sampled interval to the window:
 * - an edge that lies within 1.1 average sample intervals of the nearest sample is extrapolated to;
 * - otherwise the series is taken to begin (or end) half an average interval beyond its first (last) sample;
 * - a counter is never extrapolated below zero: the start is cut to where the line through the samples meets zero.
 * Undefined with fewer than two samples (Prometheus drops such a series from the result).
 */
export function extrapolatedIncrease(
  points: Points,
  startMs: number,
  endMs: number,
  semantics: PromqlSemantics,
): number | undefined {
  const n = points.t.length;
  if (n < 2) return undefined;
  const firstT = points.t[0]!;
  const lastT = points.t[n - 1]!;
  const firstV = points.v[0]!;
  let result = points.v[n - 1]! - firstV;
  for (let i = 1; i < n; i++) {
    const previous = points.v[i - 1]!;
    if (points.v[i]! < previous) result += previous; // a reset: the counter restarted from zero
  }

  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (n - 1);
  const threshold = averageInterval * 1.1;
  let toStart = (firstT - startMs) / 1000;
  let toEnd = (endMs - lastT) / 1000;
  const durationToZero = result > 0 && firstV >= 0 ? sampledInterval * (firstV / result) : undefined;

  if (semantics === 'prometheus-2-early') {
    if (durationToZero !== undefined && durationToZero < toStart) toStart = durationToZero;
    if (toStart >= threshold) toStart = averageInterval / 2;
  } else {
    if (toStart >= threshold) toStart = averageInterval / 2;
    if (durationToZero !== undefined && durationToZero < toStart) toStart = durationToZero;
  }
  if (toEnd >= threshold) toEnd = averageInterval / 2;

  return result * ((sampledInterval + toStart + toEnd) / sampledInterval);
}

/** `max_over_time()`: NaN only when every sample is NaN, as in Prometheus. Undefined without samples. */
export function maxOverTime(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let max = values[0]!;
  for (const v of values) {
    if (v > max || Number.isNaN(max)) max = v;
  }
  return max;
}

/** `avg_over_time()` with Kahan-compensated summation, as Prometheus sums. Undefined without samples. */
export function avgOverTime(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return kahanSum(values) / values.length;
}

/** Sum with Kahan-Babuška (Neumaier) compensation, Prometheus' choice for sums and averages. */
export function kahanSum(values: Iterable<number>): number {
  let sum = 0;
  let c = 0;
  for (const v of values) {
    const t = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) c += sum - t + v;
    else c += v - t + sum;
    sum = t;
  }
  return Number.isFinite(sum) ? sum + c : sum;
}
