// From scored pairs to the judge's Observation: value = the canary's (weighted) mean score, baseline = stable's on
// the same items, samples = items both versions answered. Errors and timeouts have no score; they only explain why
// there is nothing to judge. The comparison of means (Welch) runs when a test configuration is given.
import { compareMeans, type Observation, type TestConfig } from '../judge/index.js';
import { countOutcomes, type OutcomeCounts } from './sampler.js';
import type { PairResult } from './types.js';

/** Count, weighted mean and weighted sample variance of a track's scores (frequency-style weights, n - 1). */
export interface WeightedSums {
  readonly count: number;
  readonly weight: number;
  readonly weightedSum: number;
  readonly weightedSquares: number;
}

export function summaryOf(sums: WeightedSums): { count: number; mean: number; variance: number } {
  if (!(sums.count > 0) || !(sums.weight > 0)) return { count: 0, mean: 0, variance: 0 };
  const mean = sums.weightedSum / sums.weight;
  const spread = Math.max(0, sums.weightedSquares / sums.weight - mean * mean);
  const variance = sums.count > 1 ? (spread * sums.count) / (sums.count - 1) : 0;
  return { count: sums.count, mean, variance };
}

function sumsOf(scored: ReadonlyArray<{ score: number; weight: number }>): WeightedSums {
  let weight = 0;
  let weightedSum = 0;
  let weightedSquares = 0;
  for (const { score, weight: w } of scored) {
    weight += w;
    weightedSum += w * score;
    weightedSquares += w * score * score;
  }
  return { count: scored.length, weight, weightedSum, weightedSquares };
}

export interface ObservationOptions {
  /** Whether the analysis names a stable version (then only items both answered count). */
  readonly paired: boolean;
  readonly dataset: string;
  /** Run the comparison of means with this configuration (needs stable and 2+ items). */
  readonly test?: TestConfig;
}

/** The observation of a set of pairs (from the store). */
export function qualityObservation(pairs: readonly PairResult[], options: ObservationOptions): Observation {
  const canaryScores: Array<{ score: number; weight: number }> = [];
  const stableScores: Array<{ score: number; weight: number }> = [];
  for (const pair of pairs) {
    if (pair.canary.outcome !== 'answered') continue;
    if (options.paired) {
      if (pair.stable?.outcome !== 'answered') continue;
      stableScores.push({ score: pair.stable.score, weight: pair.weight });
    }
    canaryScores.push({ score: pair.canary.score, weight: pair.weight });
  }
  return observationFromSums(
    sumsOf(canaryScores),
    options.paired ? sumsOf(stableScores) : undefined,
    options,
    () => noDataReason(pairs, options),
  );
}

/** Shared by the store and Prometheus paths: means, counts and the test from per-track sums. */
export function observationFromSums(
  canary: WeightedSums,
  stable: WeightedSums | undefined,
  options: Pick<ObservationOptions, 'test'>,
  whyNoData: () => string,
): Observation {
  const c = summaryOf(canary);
  const s = stable ? summaryOf(stable) : undefined;
  const samples = { canary: c.count, stable: s?.count ?? 0 };
  if (c.count === 0) {
    return {
      value: undefined,
      baseline: s && s.count > 0 ? s.mean : undefined,
      samples,
      noDataReason: whyNoData(),
    };
  }
  const test =
    options.test && s && c.count >= 2 && s.count >= 2
      ? compareMeans(c, s, options.test, 'decrease-is-bad')
      : undefined;
  return {
    value: c.mean,
    baseline: s && s.count > 0 ? s.mean : undefined,
    samples,
    ...(test ? { test } : {}),
  };
}

function noDataReason(pairs: readonly PairResult[], options: ObservationOptions): string {
  if (pairs.length === 0) {
    return `no quality samples of dataset ${options.dataset} in the window (sample=N asks for a fresh sample)`;
  }
  const describe = (counts: OutcomeCounts) =>
    [
      `${counts.answered} answered`,
      ...(counts.error ? [`${counts.error} errors`] : []),
      ...(counts.timeout ? [`${counts.timeout} timeouts`] : []),
      ...(counts.cancelled ? [`${counts.cancelled} cancelled at the deadline`] : []),
    ].join(', ');
  const stable = options.paired ? `; stable ${describe(countOutcomes(pairs, 'stable'))}` : '';
  const what = options.paired ? 'no item answered by both versions' : 'no item answered by the canary';
  return `${what} on ${options.dataset}: canary ${describe(countOutcomes(pairs, 'canary'))}${stable}`;
}
