// Mann-Whitney's U on raw (unbinned) samples: mid-ranks over the pooled, sorted sample. Exact null distribution
// for small samples without ties, the tie-corrected normal approximation otherwise. The benchmark's oracle uses it.
import { fromU, type MannWhitneyResult } from './mann-whitney-binned.js';
import { mannWhitneyExactUpperTail } from './mann-whitney-exact.js';

/** Samples no larger than this (each) and without ties get the exact p-values. */
export const EXACT_MAX_SIZE = 30;

export function mannWhitneyRaw(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const pooled: { value: number; first: boolean }[] = [];
  for (const value of a) if (Number.isFinite(value)) pooled.push({ value, first: true });
  for (const value of b) if (Number.isFinite(value)) pooled.push({ value, first: false });
  pooled.sort((x, y) => x.value - y.value);

  let nA = 0;
  let nB = 0;
  let u = 0;
  let tieTerm = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    let inA = 0;
    let inB = 0;
    while (j < pooled.length && pooled[j]!.value === pooled[i]!.value) {
      if (pooled[j]!.first) inA++;
      else inB++;
      j++;
    }
    u += inA * (nB + inB / 2);
    nA += inA;
    nB += inB;
    const t = inA + inB;
    tieTerm += t * t * t - t;
    i = j;
  }

  const approximate = fromU(u, nA, nB, tieTerm);
  if (tieTerm > 0 || nA === 0 || nB === 0 || nA > EXACT_MAX_SIZE || nB > EXACT_MAX_SIZE) return approximate;
  return {
    ...approximate,
    pGreater: mannWhitneyExactUpperTail(u, nA, nB),
    pLess: mannWhitneyExactUpperTail(nA * nB - u, nA, nB),
  };
}
