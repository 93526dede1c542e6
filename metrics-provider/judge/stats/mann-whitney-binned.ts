// The Mann-Whitney U test on two histograms over the same buckets. Observations in one bucket are ties, so each gets
// the bucket's mid-rank; U and its null variance follow with the usual tie correction (Lehmann, Nonparametrics, 1975,
// ch. 1.4). Counts are weights and may be non-integer (Prometheus' increase() extrapolates); the normal approximation
// is what a p-value at these sizes needs, with R's continuity correction of 1/2.
import { normalUpperTail } from './normal.js';

export interface MannWhitneyResult {
  /** U of the first sample: pairs (a, b) with a > b, plus half the ties. */
  readonly u: number;
  /** Standardised U (continuity-corrected towards the null for each one-sided tail; 0 when undefined). */
  readonly z: number;
  /** One-sided p-value of "the first sample tends to be larger". */
  readonly pGreater: number;
  /** One-sided p-value of "the first sample tends to be smaller". */
  readonly pLess: number;
  /** P(A > B) + P(A = B) / 2 = U / (nA·nB): the probability of superiority; 0.5 when undefined. */
  readonly superiority: number;
  readonly nA: number;
  readonly nB: number;
}

/** The test from bucket counts `a` and `b` (same buckets, ascending). Empty or degenerate data: p = 1. */
export function mannWhitneyBinned(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const buckets = Math.min(a.length, b.length);
  let nA = 0;
  let nB = 0;
  let u = 0;
  let tieTerm = 0;
  for (let i = 0; i < buckets; i++) {
    const ai = weight(a[i]);
    const bi = weight(b[i]);
    u += ai * (nB + bi / 2);
    nA += ai;
    nB += bi;
    const t = ai + bi;
    tieTerm += t * t * t - t;
  }
  return fromU(u, nA, nB, tieTerm);
}

/**
 * P-values from U, the sample sizes and the tie term Σ(t³ - t) over groups of tied observations.
 * Var(U) = nA·nB/12 · ((N + 1) - Σ(t³ - t) / (N(N - 1))).
 */
export function fromU(u: number, nA: number, nB: number, tieTerm: number): MannWhitneyResult {
  const n = nA + nB;
  const mean = (nA * nB) / 2;
  const variance = n > 1 ? ((nA * nB) / 12) * (n + 1 - tieTerm / (n * (n - 1))) : 0;
  if (!(nA > 0 && nB > 0) || !(variance > 1e-12)) {
    return { u, z: 0, pGreater: 1, pLess: 1, superiority: 0.5, nA, nB };
  }
  const sd = Math.sqrt(variance);
  const diff = u - mean;
  const zGreater = (diff - 0.5) / sd;
  const zLess = (diff + 0.5) / sd;
  return {
    u,
    z: diff / sd,
    pGreater: clampP(normalUpperTail(zGreater)),
    pLess: clampP(normalUpperTail(-zLess)),
    superiority: u / (nA * nB),
    nA,
    nB,
  };
}

function weight(count: number | undefined): number {
  return count !== undefined && Number.isFinite(count) && count > 0 ? count : 0;
}

function clampP(p: number): number {
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 1;
}
