// The three ways of judging one measurement that the benchmark puts side by side:
// - fixed: the blog recipe's fixed thresholds (histogram_quantile p95 < 2 s, error ratio < 5%), no comparison;
// - oracle: Mann-Whitney on the raw, unbinned latencies (Fisher's test on the counts for errors, where binning does
//   not apply), at the same per-look level and without tolerance or minimum counts — the ceiling;
// - judge: vllm-canary's classify() with the TestResult of compareHistograms / compareProportions, as the provider
//   builds its Observation.
import {
  classify,
  compareHistograms,
  compareProportions,
  histogramQuantile,
  perLookAlpha,
  stats,
  type CheckJudgement,
  type Observation,
  type TestConfig,
} from '../../../metrics-provider/judge/index.js';
import { BUCKETS, type MinuteData, type Signal } from './model.js';

export type MethodName = 'fixed' | 'oracle' | 'judge';
export const METHODS: readonly MethodName[] = ['fixed', 'oracle', 'judge'];
export const METHOD_LABELS: Readonly<Record<MethodName, string>> = {
  fixed: 'fixed threshold (p95 < 2 s, errors < 5%)',
  oracle: 'oracle: test on raw samples',
  judge: 'vllm-canary judge',
};

export interface JudgeSettings {
  readonly config: TestConfig;
  /** The provider's default minRequests. */
  readonly minSamples: number;
  readonly latencyTolerance: number;
  readonly errorTolerance: number;
}

export const DEFAULT_SETTINGS: JudgeSettings = {
  config: { confidence: 0.99, tolerance: 1.1, looks: 5 },
  minSamples: 50,
  latencyTolerance: 1.1,
  errorTolerance: 1.5,
};

/** Whether the method fails the canary on this window. */
export function fails(
  method: MethodName,
  signal: Signal,
  canary: MinuteData,
  stable: MinuteData,
  settings: JudgeSettings = DEFAULT_SETTINGS,
): boolean {
  switch (method) {
    case 'fixed':
      return fixedFails(signal, canary);
    case 'oracle':
      return oracleFails(signal, canary, stable, settings);
    case 'judge':
      return judgeFails(signal, canary, stable, settings);
  }
}

function fixedFails(signal: Signal, canary: MinuteData): boolean {
  if (signal === 'errors') return canary.requests > 0 && canary.failed / canary.requests > 0.05;
  const p95 = histogramQuantile(0.95, { upperBounds: BUCKETS[signal], counts: canary.counts });
  return Number.isFinite(p95) && p95 > 2;
}

function oracleFails(
  signal: Signal,
  canary: MinuteData,
  stable: MinuteData,
  settings: JudgeSettings,
): boolean {
  const alpha = perLookAlpha(settings.config.confidence, settings.config.looks);
  const p =
    signal === 'errors'
      ? stats.fisherExact(canary.failed, canary.requests, stable.failed, stable.requests).pGreater
      : stats.mannWhitneyRaw(canary.samples, stable.samples).pGreater;
  return p < alpha;
}

export function judgeObservation(
  signal: Signal,
  canary: MinuteData,
  stable: MinuteData,
  settings: JudgeSettings = DEFAULT_SETTINGS,
): { judgement: CheckJudgement; observation: Observation } {
  const samples = { canary: canary.requests, stable: stable.requests };
  if (signal === 'errors') {
    const ratio = (d: MinuteData) => (d.requests > 0 ? d.failed / d.requests : undefined);
    return {
      judgement: {
        direction: 'increase-is-bad',
        unit: 'ratio',
        figure: 'error ratio',
        limits: { minSamples: settings.minSamples },
      },
      observation: {
        value: ratio(canary),
        baseline: ratio(stable),
        samples,
        test: compareProportions(
          { failed: canary.failed, total: canary.requests },
          { failed: stable.failed, total: stable.requests },
          { ...settings.config, tolerance: settings.errorTolerance },
        ),
      },
    };
  }
  const upperBounds = BUCKETS[signal];
  const c = { upperBounds, counts: canary.counts };
  const s = { upperBounds, counts: stable.counts };
  const finite = (x: number) => (Number.isFinite(x) ? x : undefined);
  return {
    judgement: {
      direction: 'increase-is-bad',
      unit: 'seconds',
      figure: `p95 ${signal} latency`,
      limits: { minSamples: settings.minSamples },
    },
    observation: {
      value: finite(histogramQuantile(0.95, c)),
      baseline: finite(histogramQuantile(0.95, s)),
      samples,
      test: compareHistograms(
        c,
        s,
        { ...settings.config, tolerance: settings.latencyTolerance },
        'increase-is-bad',
        {
          quantile: 0.95,
        },
      ),
    },
  };
}

function judgeFails(
  signal: Signal,
  canary: MinuteData,
  stable: MinuteData,
  settings: JudgeSettings,
): boolean {
  const { judgement, observation } = judgeObservation(signal, canary, stable, settings);
  return classify(judgement, observation).verdict === 'fail';
}
