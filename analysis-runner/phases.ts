// How Argo Rollouts (v1.9.1 analysis/analysis.go, utils/evaluate) turns conditions into a measurement phase,
// measurements into a metric phase, and metric phases into the AnalysisRun's phase. Pure functions, no I/O.
import type {
  AnalysisPhase,
  IntOrString,
  Measurement,
  MeasurementPhase,
  Metric,
  MetricCounters,
} from './types.js';
import { isCompleted } from './types.js';

/** Argo's default consecutiveErrorLimit (utils/defaults). */
export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

/** Kubernetes IntOrString.IntValue(): a string is parsed as an integer, 0 when it is not one. */
export function intValue(value: IntOrString | undefined, fallback = 0): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return Math.trunc(value);
  return /^[+-]?\d+$/.test(value.trim()) ? Number.parseInt(value, 10) : 0;
}

/**
 * The phase of one measurement from its conditions (evaluate.EvaluateResult): both set -> failure true is Failed,
 * success true is Successful, neither is Inconclusive; only success -> false is Failed; only failure -> false is
 * Successful; none -> Successful.
 */
export function conditionPhase(success: boolean | undefined, failure: boolean | undefined): MeasurementPhase {
  if (success === undefined && failure === undefined) return 'Successful';
  const failed = failure ?? !success;
  const succeeded = success ?? !failure;
  if (failed) return 'Failed';
  if (!succeeded) return 'Inconclusive';
  return 'Successful';
}

/** Measurements a metric takes before it is done (Metric.EffectiveCount); undefined: until the run stops. */
export function effectiveCount(metric: Pick<Metric, 'count' | 'interval'>): number | undefined {
  const count = intValue(metric.count);
  if (count === 0) return metric.interval === undefined || metric.interval === '' ? 1 : undefined;
  return count;
}

export const ZERO_COUNTERS: MetricCounters = {
  count: 0,
  successful: 0,
  failed: 0,
  inconclusive: 0,
  error: 0,
  consecutiveError: 0,
  consecutiveSuccess: 0,
};

/** The counters after one more finished measurement (runMeasurements); an Error does not consume the count. */
export function countMeasurement(c: MetricCounters, phase: MeasurementPhase): MetricCounters {
  switch (phase) {
    case 'Successful':
      return {
        ...c,
        successful: c.successful + 1,
        count: c.count + 1,
        consecutiveError: 0,
        consecutiveSuccess: c.consecutiveSuccess + 1,
      };
    case 'Failed':
      return { ...c, failed: c.failed + 1, count: c.count + 1, consecutiveError: 0, consecutiveSuccess: 0 };
    case 'Inconclusive':
      return {
        ...c,
        inconclusive: c.inconclusive + 1,
        count: c.count + 1,
        consecutiveError: 0,
        consecutiveSuccess: 0,
      };
    case 'Error':
      return { ...c, error: c.error + 1, consecutiveError: c.consecutiveError + 1, consecutiveSuccess: 0 };
  }
}

export interface Assessment {
  readonly phase: AnalysisPhase;
  readonly message?: string;
}

/** assessMetricFailureInconclusiveOrError: Error beats Inconclusive beats Failed when several limits are exceeded. */
export function limitsExceeded(metric: Metric, c: MetricCounters): Assessment | undefined {
  let result: Assessment | undefined;
  const failureLimit = intValue(metric.failureLimit);
  if (failureLimit >= 0 && c.failed > failureLimit)
    result = { phase: 'Failed', message: `failed (${c.failed}) > failureLimit (${failureLimit})` };
  const inconclusiveLimit = intValue(metric.inconclusiveLimit);
  if (c.inconclusive > inconclusiveLimit)
    result = {
      phase: 'Inconclusive',
      message: `inconclusive (${c.inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`,
    };
  const errorLimit = intValue(metric.consecutiveErrorLimit, DEFAULT_CONSECUTIVE_ERROR_LIMIT);
  if (c.consecutiveError > errorLimit)
    result = {
      phase: 'Error',
      message: `consecutiveErrors (${c.consecutiveError}) > consecutiveErrorLimit (${errorLimit})`,
    };
  return result;
}

/**
 * assessMetricStatus: the metric's phase from its counters. `terminating` is true once another (non-dry-run)
 * metric has completed Failed, Error or Inconclusive, or the run was stopped.
 */
export function assessMetric(
  metric: Metric,
  c: MetricCounters,
  measurements: readonly Measurement[],
  terminating: boolean,
): Assessment {
  if (measurements.length === 0) return { phase: terminating ? 'Successful' : 'Pending' };
  const exceeded = limitsExceeded(metric, c);
  if (exceeded !== undefined) return exceeded;
  const successLimit = intValue(metric.consecutiveSuccessLimit);
  if (successLimit > 0 && c.consecutiveSuccess >= successLimit)
    return { phase: 'Successful', message: `consecutiveSuccessLimit (${successLimit}) reached` };
  const count = effectiveCount(metric);
  if (count !== undefined && c.count >= count) {
    const failureApplicable = metric.failureLimit === undefined || intValue(metric.failureLimit) >= 0;
    const successApplicable = successLimit > 0;
    if (failureApplicable && successApplicable)
      return {
        phase: 'Inconclusive',
        message: `consecutiveSuccessLimit (${successLimit}) not reached and failureLimit (${intValue(metric.failureLimit)}) not violated`,
      };
    if (successApplicable)
      return { phase: 'Failed', message: `consecutiveSuccessLimit (${successLimit}) not reached` };
    return { phase: 'Successful', message: `count (${count}) reached` };
  }
  if (terminating) return { phase: 'Successful', message: 'run terminated' };
  return { phase: 'Running' };
}

/** Argo's analysisStatusOrder, best to worst. */
const ORDER: readonly AnalysisPhase[] = [
  'Successful',
  'Running',
  'Pending',
  'Inconclusive',
  'Error',
  'Failed',
];

export function isWorse(current: AnalysisPhase, next: AnalysisPhase): boolean {
  return ORDER.indexOf(next) > ORDER.indexOf(current);
}

export interface MetricState {
  readonly name: string;
  readonly phase: AnalysisPhase;
  readonly dryRun: boolean;
  readonly message?: string;
}

/** Whether the run stops taking new measurements (analysisutil.IsTerminating); dry-run metrics never stop it. */
export function isTerminating(metrics: readonly MetricState[], stopped: boolean): boolean {
  if (stopped) return true;
  return metrics.some(
    (m) => !m.dryRun && (m.phase === 'Failed' || m.phase === 'Error' || m.phase === 'Inconclusive'),
  );
}

/**
 * assessRunStatus: Running while any metric is not completed; then the worst phase of the non-dry-run metrics
 * (Successful when every metric is dry-run). A stopped run takes the worst completed phase, Successful if none.
 */
export function assessRun(metrics: readonly MetricState[], terminating: boolean): Assessment {
  let worst: AnalysisPhase | undefined;
  let message: string | undefined;
  let everythingCompleted = true;
  for (const m of metrics) {
    if (!isCompleted(m.phase)) {
      everythingCompleted = false;
      continue;
    }
    if (m.dryRun) {
      worst ??= 'Successful';
      continue;
    }
    if (worst === undefined || isWorse(worst, m.phase)) {
      worst = m.phase;
      message =
        m.phase === 'Successful'
          ? undefined
          : `Metric "${m.name}" assessed ${m.phase} due to ${m.message ?? m.phase}`;
    }
  }
  if (terminating) return { phase: worst ?? 'Successful', ...(message !== undefined ? { message } : {}) };
  if (!everythingCompleted || worst === undefined) return { phase: 'Running' };
  return { phase: worst, ...(message !== undefined ? { message } : {}) };
}
