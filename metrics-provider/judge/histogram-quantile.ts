// histogram_quantile() exactly as Prometheus computes it (promql/quantile.go): find the bucket holding the rank,
// then interpolate linearly inside it; a rank in the +Inf bucket answers the highest finite bound.
import type { HistogramData } from '../sources/metric-source.js';

export function histogramCount(histogram: HistogramData): number {
  return histogram.counts.reduce((a, b) => a + b, 0);
}

/** The q-quantile of bucket increments; NaN when the histogram is empty, as Prometheus answers. */
export function histogramQuantile(q: number, histogram: HistogramData): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const bounds = histogram.upperBounds;
  if (bounds.length < 2 || bounds.at(-1) !== Number.POSITIVE_INFINITY) return Number.NaN;

  const cumulative: number[] = [];
  let running = 0;
  for (const count of histogram.counts) cumulative.push((running += count));
  const observations = running;
  if (observations <= 0) return Number.NaN;

  let rank = q * observations;
  const b = cumulative.findIndex((c) => c >= rank);
  if (b === bounds.length - 1) return bounds[bounds.length - 2]!;
  if (b === 0 && bounds[0]! <= 0) return bounds[0]!;

  const bucketStart = b === 0 ? 0 : bounds[b - 1]!;
  const bucketEnd = bounds[b]!;
  const below = b === 0 ? 0 : cumulative[b - 1]!;
  const count = cumulative[b]! - below;
  rank -= below;
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
