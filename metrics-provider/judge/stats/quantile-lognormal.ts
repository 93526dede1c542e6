// A quantile of a histogram, interpolated as if the distribution were log-normal between the two bounds of the
// bucket that holds it: linear in (ln x, Φ⁻¹(F)) rather than Prometheus' linear in (x, F). Latencies are close to
// log-normal, and vLLM's buckets are wide (TTFT 0.1 to 0.25 s): linear interpolation pulls two quantiles in the same
// bucket towards each other, so their ratio — the effect the tolerance is held against — comes out too small
// (a real ratio of 1.26 reads 1.04). This is exact for a log-normal and falls back to Prometheus' interpolation
// where it cannot apply (the first bucket, from 0, or the +Inf bucket). The CDF at the bucket's edges is taken as
// (count below + ½) / (total + 1), so an edge with nothing beyond it (common in the last busy bucket) stays finite
// in probit space and both tracks get the same estimator.
import type { HistogramData } from '../../sources/metric-source.js';
import { histogramQuantile } from '../histogram-quantile.js';
import { normalQuantile } from './normal.js';

export function histogramQuantileLogNormal(q: number, histogram: HistogramData): number {
  const fallback = histogramQuantile(q, histogram);
  if (!(q > 0 && q < 1) || !Number.isFinite(fallback)) return fallback;
  const { upperBounds, counts } = histogram;
  let total = 0;
  for (const c of counts) total += c > 0 ? c : 0;
  const rank = q * total;
  let below = 0;
  for (let b = 0; b < upperBounds.length; b++) {
    const count = counts[b]! > 0 ? counts[b]! : 0;
    if (below + count >= rank && count > 0) {
      const lower = b === 0 ? 0 : upperBounds[b - 1]!;
      const upper = upperBounds[b]!;
      if (!(lower > 0) || !Number.isFinite(upper)) return fallback;
      const fLower = (below + 0.5) / (total + 1);
      const fUpper = (below + count + 0.5) / (total + 1);
      const zLower = normalQuantile(fLower);
      const zUpper = normalQuantile(fUpper);
      const share = (normalQuantile(q) - zLower) / (zUpper - zLower);
      return Math.exp(Math.log(lower) + share * (Math.log(upper) - Math.log(lower)));
    }
    below += count;
  }
  return fallback;
}
