// Fisher's exact test of two proportions, one-sided: given the total number of failures m, the first sample's
// failures are hypergeometric under the null, P(X = k) = C(nA, k)·C(nB, m - k) / C(nA + nB, m). Exact at any count,
// conservative (the conditional test never exceeds its level). Counts are rounded to integers first: Prometheus'
// increase() extrapolates, but a failure is a whole request.
import { logChoose } from './special.js';

export interface ProportionsResult {
  /** One-sided p-value of "the first sample's proportion is larger". */
  readonly pGreater: number;
  /** One-sided p-value of "the first sample's proportion is smaller". */
  readonly pLess: number;
  readonly failedA: number;
  readonly totalA: number;
  readonly failedB: number;
  readonly totalB: number;
}

export function fisherExact(
  failedA: number,
  totalA: number,
  failedB: number,
  totalB: number,
): ProportionsResult {
  const nA = whole(totalA);
  const nB = whole(totalB);
  const xA = Math.min(whole(failedA), nA);
  const xB = Math.min(whole(failedB), nB);
  const base = { failedA: xA, totalA: nA, failedB: xB, totalB: nB };
  const m = xA + xB;
  if (nA === 0 || nB === 0 || m === 0 || m === nA + nB) return { ...base, pGreater: 1, pLess: 1 };
  const low = Math.max(0, m - nB);
  const high = Math.min(nA, m);
  return {
    ...base,
    pGreater: tail(xA, 1, low, high, nA, nB, m),
    pLess: tail(xA, -1, low, high, nA, nB, m),
  };
}

/**
 * P(X >= from) for step 1, P(X <= from) for step -1, X on [low, high]. The side away from the mean is summed (its
 * terms shrink, so the sum stops early); otherwise 1 minus the other side.
 */
function tail(
  from: number,
  step: 1 | -1,
  low: number,
  high: number,
  nA: number,
  nB: number,
  m: number,
): number {
  const to = step > 0 ? high : low;
  const other = step > 0 ? low : high;
  const mean = (m * nA) / (nA + nB);
  const logTotal = logChoose(nA + nB, m);
  const pmf = (k: number) => Math.exp(logChoose(nA, k) + logChoose(nB, m - k) - logTotal);
  const beyondMean = step > 0 ? from >= mean : from <= mean;
  const sum = (start: number, end: number, dir: number) => {
    let s = 0;
    for (let k = start; dir > 0 ? k <= end : k >= end; k += dir) {
      const term = pmf(k);
      s += term;
      if (term === 0 || term < 1e-17 * s) break;
    }
    return s;
  };
  const p = beyondMean ? sum(from, to, step) : 1 - sum(from - step, other, -step);
  return Math.min(1, Math.max(0, p));
}

function whole(count: number): number {
  return Number.isFinite(count) && count > 0 ? Math.round(count) : 0;
}
