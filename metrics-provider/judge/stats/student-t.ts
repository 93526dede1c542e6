// Student's t distribution's upper tail, for Welch's test: P(T > t) = I_{df/(df+t²)}(df/2, 1/2) / 2 for t >= 0.
import { normalUpperTail } from './normal.js';
import { regularizedBeta } from './special.js';

/** P(T > t) for T with `df` degrees of freedom (df may be fractional; infinite df is the normal). */
export function studentTUpperTail(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  if (!Number.isFinite(df) || df > 1e7) return normalUpperTail(t);
  const half = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? half : 1 - half;
}
