// The statistical comparison of canary with stable, as the checks run it: a one-sided test of "canary worse than
// stable" held against the per-look level, and an effect size held against the tolerance. A check fails on the test
// only when both hold (classify), so a tiny shift at huge volume does not fail a rollout. See docs/statistics.md.
import type { HistogramData } from '../sources/metric-source.js';
import { alignBuckets } from './stats/align-buckets.js';
import { fisherExact } from './stats/fisher.js';
import { mannWhitneyBinned } from './stats/mann-whitney-binned.js';
import { perLookAlpha } from './stats/looks.js';
import { histogramQuantileLogNormal } from './stats/quantile-lognormal.js';
import { welchTTest, type SampleSummary } from './stats/welch.js';
import type { Direction, TestConfig, TestResult } from './types.js';

export interface HistogramComparisonOptions {
  /** The quantile whose canary/stable ratio is the effect size. @default 0.95 */
  readonly quantile?: number;
}

/** Failed and total requests of one track. Counts may be non-integer (increase() extrapolates). */
export interface ProportionCounts {
  readonly failed: number;
  readonly total: number;
}

/**
 * Latency histograms: Mann-Whitney U on the bucket counts; effect = ratio of the quantiles, interpolated log-normally
 * inside their buckets (see stats/quantile-lognormal.ts).
 */
export function compareHistograms(
  canary: HistogramData,
  stable: HistogramData,
  config: TestConfig,
  direction: Direction = 'increase-is-bad',
  options: HistogramComparisonOptions = {},
): TestResult {
  const q = options.quantile ?? 0.95;
  const aligned = alignBuckets(canary, stable);
  const mw = mannWhitneyBinned(aligned.a, aligned.b);
  const effect = ratio(histogramQuantileLogNormal(q, canary), histogramQuantileLogNormal(q, stable));
  return result(config, direction, {
    name: 'Mann-Whitney U on buckets',
    pValue: direction === 'increase-is-bad' ? mw.pGreater : mw.pLess,
    effect,
    effectName: `p${Math.round(q * 1000) / 10} ratio`,
  });
}

/** Error ratios: Fisher's exact test; effect = ratio of the two proportions (each smoothed by ½ failure). */
export function compareProportions(
  canary: ProportionCounts,
  stable: ProportionCounts,
  config: TestConfig,
  direction: Direction = 'increase-is-bad',
): TestResult {
  const fisher = fisherExact(canary.failed, canary.total, stable.failed, stable.total);
  const smoothed = (x: number, n: number) => (x + 0.5) / (n + 1);
  const effect = ratio(smoothed(fisher.failedA, fisher.totalA), smoothed(fisher.failedB, fisher.totalB));
  return result(config, direction, {
    name: "Fisher's exact test",
    pValue: direction === 'increase-is-bad' ? fisher.pGreater : fisher.pLess,
    effect,
    effectName: 'ratio of proportions',
  });
}

/** Quality scores: Welch's t-test on the means; effect = ratio of the means. */
export function compareMeans(
  canary: SampleSummary,
  stable: SampleSummary,
  config: TestConfig,
  direction: Direction = 'decrease-is-bad',
): TestResult {
  const welch = welchTTest(canary, stable);
  return result(config, direction, {
    name: "Welch's t-test",
    pValue: direction === 'increase-is-bad' ? welch.pGreater : welch.pLess,
    effect: ratio(canary.mean, stable.mean),
    effectName: 'ratio of means',
  });
}

interface Outcome {
  readonly name: string;
  readonly pValue: number;
  readonly effect: number;
  readonly effectName: string;
}

function result(config: TestConfig, direction: Direction, outcome: Outcome): TestResult {
  const alpha = perLookAlpha(config.confidence, config.looks);
  const pValue = Number.isFinite(outcome.pValue) ? Math.min(1, Math.max(0, outcome.pValue)) : 1;
  const tolerance = Number.isFinite(config.tolerance) && config.tolerance > 0 ? config.tolerance : 1;
  const beyondTolerance =
    direction === 'increase-is-bad' ? outcome.effect > tolerance : outcome.effect < 1 / tolerance;
  return {
    name: outcome.name,
    pValue,
    alpha,
    effect: outcome.effect,
    effectName: outcome.effectName,
    significant: pValue < alpha,
    beyondTolerance,
  };
}

/** a / b, finite: 1 when either is missing or both are zero; a large finite number when only b is zero. */
function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || a < 0 || b < 0) return 1;
  if (b === 0) return a === 0 ? 1 : Number.MAX_SAFE_INTEGER;
  return a / b;
}
