// The PromQL range functions the scrape source needs, with Prometheus' arithmetic: `increase()` (extrapolatedRate),
// `max_over_time()` and `avg_over_time()`. Pure functions over one series' samples, so the numbers can be checked by
// hand and against Prometheus itself.
//
// Two details changed between Prometheus releases, and `PromqlSemantics` picks which one to reproduce:
// - the range: Prometheus 2 selects samples with start <= t <= end, Prometheus 3 with start < t <= end;
// - the zero floor of a counter: Prometheus 2 (up to early 2024) shortened the extrapolation to the counter's zero
//   point before deciding between "extrapolate to the window edge" and "half an interval"; later releases decide
//   first and apply the zero point afterwards.

export type PromqlSemantics = 'prometheus-3' | 'prometheus-2';

/** One series' samples in a window, oldest first (stale markers already left out, as Prometheus does). */
export interface Points {
  readonly t: readonly number[];
  readonly v: readonly number[];
}

/** Whether a sample at `t` falls in the range ending at `endMs` and starting at `startMs`. */
export function inRange(t: number, startMs: number, endMs: number, semantics: PromqlSemantics): boolean {
  return t <= endMs && (semantics === 'prometheus-3' ? t > startMs : t >= startMs);
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

  if (semantics === 'prometheus-2') {
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
