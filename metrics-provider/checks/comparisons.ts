// The statistical comparison of canary with stable for each check, configured from the request's parameters.
// (Wired to the judge's tests in metrics-provider/judge/compare.ts.)
import type { TestResult } from '../judge/index.js';
import type { HistogramData } from '../sources/metric-source.js';
import type { ErrorCounts } from './error-ratio.js';
import type { CommonParams } from './types.js';

export function compareLatency(
  _canary: HistogramData,
  _stable: HistogramData,
  _params: CommonParams,
): TestResult | undefined {
  return undefined;
}

export function compareErrorRatio(
  _canary: ErrorCounts,
  _stable: ErrorCounts,
  _params: CommonParams,
): TestResult | undefined {
  return undefined;
}
