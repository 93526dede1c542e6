// score(): classifications of several checks to one verdict, after Kayenta's scorer. A failed critical check fails
// the analysis and a critical check without data leaves it inconclusive; other checks with no data are left out of
// the score, but when half or more of the weight has no data the analysis is inconclusive rather than judged on what
// is left.
import type { Score, ScoredCheck, ScoreThresholds } from './types.js';

export const DEFAULT_THRESHOLDS: ScoreThresholds = { pass: 95, marginal: 75 };

export function score(
  checks: readonly ScoredCheck[],
  thresholds: ScoreThresholds = DEFAULT_THRESHOLDS,
): Score {
  if (checks.length === 0) return { verdict: 'inconclusive', score: 0, reason: 'no checks to judge' };

  const criticalFailures = checks.filter((c) => c.critical && c.classification.verdict === 'fail');
  const totalWeight = sum(checks.map((c) => c.weight));
  const decided = checks.filter((c) => c.classification.verdict !== 'inconclusive');
  const decidedWeight = sum(decided.map((c) => c.weight));
  const passedWeight = sum(decided.filter((c) => c.classification.verdict === 'pass').map((c) => c.weight));
  const value = decidedWeight > 0 ? round((100 * passedWeight) / decidedWeight) : 0;
  const failedNames = decided.filter((c) => c.classification.verdict === 'fail').map((c) => c.name);

  if (criticalFailures.length > 0) {
    const first = criticalFailures[0]!;
    return {
      verdict: 'fail',
      score: 0,
      reason: `critical check ${first.name} failed: ${first.classification.reason}`,
    };
  }
  // A critical check that could not be judged is never scored around: the analysis waits for it.
  const criticalUndecided = checks.filter((c) => c.critical && c.classification.verdict === 'inconclusive');
  if (criticalUndecided.length > 0) {
    const first = criticalUndecided[0]!;
    return {
      verdict: 'inconclusive',
      score: value,
      reason: `critical check ${first.name} could not be judged: ${first.classification.reason}`,
    };
  }
  const undecidedWeight = totalWeight - decidedWeight;
  if (totalWeight <= 0 || undecidedWeight * 2 >= totalWeight) {
    const missing = checks.filter((c) => c.classification.verdict === 'inconclusive').map((c) => c.name);
    return {
      verdict: 'inconclusive',
      score: value,
      reason: `not enough data: ${missing.join(', ')} could not be judged`,
    };
  }
  if (value >= thresholds.pass) {
    return { verdict: 'pass', score: value, reason: `score ${value} >= ${thresholds.pass}` };
  }
  if (value < thresholds.marginal) {
    return {
      verdict: 'fail',
      score: value,
      reason: `score ${value} < ${thresholds.marginal}; failed: ${failedNames.join(', ')}`,
    };
  }
  return {
    verdict: 'inconclusive',
    score: value,
    reason: `marginal score ${value} (pass at ${thresholds.pass}); failed: ${failedNames.join(', ')}`,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
