// The statistical comparison of canary with stable for each check, configured from the request's parameters:
// confidence for the whole analysis run, the number of looks it is spent over, and the tolerated effect.
import { compareHistograms, compareProportions, type TestConfig, type TestResult } from '../judge/index.js';
import type { HistogramData } from '../sources/metric-source.js';
import type { ErrorCounts } from './error-ratio.js';
import type { CommonParams } from './types.js';

/** Tolerated effects when the request names none (see docs/statistics.md for why). */
export const DEFAULT_TOLERANCE = {
  /** canary quantile / stable quantile */
  latency: 1.1,
  /** canary error ratio / stable error ratio (each smoothed) */
  errorRatio: 1.5,
  /** stable mean score / canary mean score */
  quality: 1.03,
} as const;

export function testConfig(params: CommonParams, defaultTolerance: number): TestConfig {
  return {
    confidence: params.confidence,
    looks: params.looks,
    tolerance: params.tolerance ?? defaultTolerance,
  };
}

export function compareLatency(
  canary: HistogramData,
  stable: HistogramData,
  params: CommonParams & { readonly quantile: number },
): TestResult {
  return compareHistograms(canary, stable, testConfig(params, DEFAULT_TOLERANCE.latency), 'increase-is-bad', {
    quantile: params.quantile,
  });
}

export function compareErrorRatio(
  canary: ErrorCounts,
  stable: ErrorCounts,
  params: CommonParams,
): TestResult {
  return compareProportions(
    canary,
    stable,
    testConfig(params, DEFAULT_TOLERANCE.errorRatio),
    'increase-is-bad',
  );
}
