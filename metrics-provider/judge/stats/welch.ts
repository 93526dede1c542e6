// Welch's t-test from summary statistics (count, mean, sample variance) of two samples: t = (x̄A - x̄B) / se with
// se² = sA²/nA + sB²/nB, and Welch-Satterthwaite degrees of freedom. For quality scores in [0, 1] (means of
// bounded scores are close to normal from a few dozen items; for 0/1 scores it is the unpooled two-proportion z-test
// with a t reference).
import { studentTUpperTail } from './student-t.js';

/** A sample's summary: count, mean and sample variance (n - 1 denominator). */
export interface SampleSummary {
  readonly count: number;
  readonly mean: number;
  readonly variance: number;
}

export interface MeansResult {
  readonly t: number;
  readonly df: number;
  /** One-sided p-value of "the first sample's mean is larger". */
  readonly pGreater: number;
  /** One-sided p-value of "the first sample's mean is smaller". */
  readonly pLess: number;
  readonly difference: number;
}

/** A summary from count, sum and sum of squares. */
export function summaryFromSums(count: number, sum: number, sumOfSquares: number): SampleSummary {
  if (!(count > 0)) return { count: 0, mean: 0, variance: 0 };
  const mean = sum / count;
  const variance = count > 1 ? Math.max(0, (sumOfSquares - (sum * sum) / count) / (count - 1)) : 0;
  return { count, mean, variance };
}

export function welchTTest(a: SampleSummary, b: SampleSummary): MeansResult {
  const none = { t: 0, df: 0, pGreater: 1, pLess: 1, difference: 0 };
  if (!valid(a) || !valid(b)) return none;
  const difference = a.mean - b.mean;
  const va = Math.max(0, a.variance) / a.count;
  const vb = Math.max(0, b.variance) / b.count;
  const se2 = va + vb;
  if (!(se2 > 1e-15)) {
    // No spread in either sample: any difference is certain, none is no evidence.
    if (Math.abs(difference) < 1e-12) return { ...none, difference };
    return {
      t: difference > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE,
      df: a.count + b.count - 2,
      pGreater: difference > 0 ? 0 : 1,
      pLess: difference < 0 ? 0 : 1,
      difference,
    };
  }
  const t = difference / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.count - 1) + (vb * vb) / (b.count - 1));
  return {
    t,
    df,
    pGreater: studentTUpperTail(t, df),
    pLess: studentTUpperTail(-t, df),
    difference,
  };
}

function valid(s: SampleSummary): boolean {
  return s.count >= 2 && Number.isFinite(s.mean) && Number.isFinite(s.variance);
}
