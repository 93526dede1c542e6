// The judge's vocabulary. Judging is two pure steps with no I/O, after Kayenta: classify each check's observation
// into a closed set of labels, then score the labels into one verdict.

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/**
 * Pass: within every limit. High / Low: the canary is above / below what is allowed (only the bad direction
 * ever fails a check). NoData: too little traffic or no series to judge; never a pass.
 */
export type Label = 'Pass' | 'High' | 'Low' | 'NoData';

/** Which way a metric goes wrong: latency and errors get worse upwards, quality downwards. */
export type Direction = 'increase-is-bad' | 'decrease-is-bad';

/** Limits of one check. Absent limits are not applied; at least one limit or the test must be set. */
export interface Limits {
  /** Absolute limit on the canary figure (an SLO), in the check's unit. With increase-is-bad: a maximum. */
  readonly absolute?: number;
  /** Largest allowed canary/stable ratio (increase-is-bad) or smallest (decrease-is-bad). */
  readonly ratio?: number;
  /** Largest allowed worsening of the canary over stable, in the check's unit. */
  readonly delta?: number;
  /** Fewer canary samples than this in the window: NoData. */
  readonly minSamples: number;
  /** Fewer stable samples than this: relative limits and the test cannot be applied (NoData for them). */
  readonly minBaselineSamples?: number;
}

/** The configuration of the statistical comparison of canary against stable (see stats/). */
export interface TestConfig {
  /** One-sided confidence for the whole analysis run, e.g. 0.99. */
  readonly confidence: number;
  /** The effect that is tolerated even when significant (e.g. 1.1 = 10% worse), so huge volume cannot fail a tiny shift. */
  readonly tolerance: number;
  /** How many measurements the analysis run makes; the per-look level is spent across them. */
  readonly looks: number;
}

/** The outcome of a statistical comparison, as the answer shows it. */
export interface TestResult {
  readonly name: string;
  /** One-sided p-value of "canary worse than stable" (or 1 - posterior probability). */
  readonly pValue: number;
  /** The per-look significance level the p-value was held against. */
  readonly alpha: number;
  /** Effect size in the test's own terms, compared against the tolerance. */
  readonly effect: number;
  readonly effectName: string;
  readonly significant: boolean;
  readonly beyondTolerance: boolean;
}

/** What was measured for one check, canary against stable. */
export interface Observation {
  /** The canary's figure in the check's unit; undefined when there was nothing to measure. */
  readonly value: number | undefined;
  /** The stable figure; undefined when stable had no data. */
  readonly baseline: number | undefined;
  readonly samples: { readonly canary: number; readonly stable: number };
  /** The result of the statistical comparison when one was run. */
  readonly test?: TestResult;
  /** Why there is no canary figure, when the check knows better than "no data in the window". */
  readonly noDataReason?: string;
}

export interface CheckJudgement {
  readonly direction: Direction;
  readonly limits: Limits;
  readonly unit: string;
  /** Shown in reasons: "p95 e2e latency", "5xx ratio". */
  readonly figure: string;
  /** The statistical comparison with stable was asked for: without it (no stable data) the check cannot pass. */
  readonly testRequired?: boolean;
}

export interface Classification {
  readonly label: Label;
  readonly verdict: Verdict;
  /** One line for `kubectl argo rollouts get rollout`: both figures and the limit or test that decided. */
  readonly reason: string;
  /** Canary relative to stable (value / baseline) when both exist and baseline is not zero. */
  readonly deviation: number | undefined;
}

/** One check's classification with its weight in the composite score. */
export interface ScoredCheck {
  readonly name: string;
  readonly classification: Classification;
  readonly weight: number;
  /** A critical check that fails fails the whole analysis, whatever the score. */
  readonly critical: boolean;
}

export interface ScoreThresholds {
  /** A score at or above this passes (0-100). */
  readonly pass: number;
  /** A score below this fails; between the two is inconclusive (Kayenta's "marginal"). */
  readonly marginal: number;
}

export interface Score {
  readonly verdict: Verdict;
  /** 0-100: the weighted share of decided checks that passed. */
  readonly score: number;
  readonly reason: string;
}
