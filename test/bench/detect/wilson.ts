// Wilson's score interval for a binomial proportion (Wilson, 1927): sound at 0 and at small counts, unlike the Wald
// interval.

export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** The 95% interval (z = 1.959964) unless told otherwise. */
export function wilson(successes: number, trials: number, z = 1.959964): Interval {
  if (trials <= 0) return { estimate: Number.NaN, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
