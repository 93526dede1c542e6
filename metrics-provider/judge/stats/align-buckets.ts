// Two histograms over the same buckets. Canary and stable can run different vLLM versions (the newest adds 0.1 and
// 0.2 s to the request-latency buckets) or flags (--custom-histogram-buckets): both are re-binned onto the bounds
// they share, which always include +Inf. Counts below a dropped bound move up into the next shared one.
import type { HistogramData } from '../../sources/metric-source.js';

export interface AlignedCounts {
  readonly upperBounds: readonly number[];
  readonly a: readonly number[];
  readonly b: readonly number[];
}

export function alignBuckets(a: HistogramData, b: HistogramData): AlignedCounts {
  if (sameBounds(a.upperBounds, b.upperBounds)) {
    return { upperBounds: a.upperBounds, a: a.counts, b: b.counts };
  }
  const inB = new Set(b.upperBounds);
  const shared = a.upperBounds.filter((bound) => inB.has(bound));
  if (shared.at(-1) !== Number.POSITIVE_INFINITY) shared.push(Number.POSITIVE_INFINITY);
  return { upperBounds: shared, a: rebin(a, shared), b: rebin(b, shared) };
}

function rebin(h: HistogramData, bounds: readonly number[]): number[] {
  const out = new Array<number>(bounds.length).fill(0);
  let target = 0;
  for (let i = 0; i < h.upperBounds.length; i++) {
    while (target < bounds.length - 1 && bounds[target]! < h.upperBounds[i]!) target++;
    out[target]! += h.counts[i] ?? 0;
  }
  return out;
}

function sameBounds(x: readonly number[], y: readonly number[]): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
