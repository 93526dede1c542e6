// The AnalysisRun loop, reconcile by reconcile as Argo's controller does it (analysis/analysis.go): take the
// measurements that are due (generateMetricTasks), count them, assess every metric and the run (assessRunStatus),
// then sleep until the next one is due (calculateNextReconcileTime). Errors are retried after 10 s and do not
// consume the count; once a non-dry-run metric is Failed, Error or Inconclusive the run stops measuring and ends.
import { scaledClock, type Clock } from './clock.js';
import { formatDuration } from './durations.js';
import { EventStream, type AnalysisEvent, type AnalysisResult } from './events.js';
import { measure, type Transport } from './measure.js';
import { planAnalysis, type MetricPlan, type PlanInput } from './plan.js';
import {
  assessMetric,
  assessRun,
  countMeasurement,
  effectiveCount,
  isTerminating,
  ZERO_COUNTERS,
  type MetricState,
} from './phases.js';
import {
  isCompleted,
  type AnalysisPhase,
  type Measurement,
  type MetricCounters,
  type MetricResult,
} from './types.js';

/** Argo's DefaultErrorRetryInterval. */
export const ERROR_RETRY_MS = 10_000;

/** A measurement without its timestamps: what a stand-in provider returns in tests. */
export type MeasurementOutcome = Omit<Measurement, 'startedAt' | 'finishedAt'>;

export interface RunAnalysisOptions extends PlanInput {
  /** Analysis time; default: the wall clock sped up by `timeScale`. */
  readonly clock?: Clock;
  /** Intervals, initial delays and the error retry are divided by this (default 1). */
  readonly timeScale?: number;
  /** Stops the run once every metric without a count has this many measurements (Error ones not counted). */
  readonly maxMeasurements?: number;
  /** The HTTP client (default: undici). */
  readonly transport?: Transport;
  /** Replaces the web provider altogether: returns each measurement's outcome (unit tests). */
  readonly provider?: (plan: MetricPlan, attempt: number) => MeasurementOutcome | Promise<MeasurementOutcome>;
  /** Aborting it stops the run as `spec.terminate: true` does. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: AnalysisEvent) => void;
}

export interface AnalysisRunHandle {
  /** Every event of the run, ending with `finished`. */
  readonly events: AsyncIterable<AnalysisEvent>;
  readonly result: Promise<AnalysisResult>;
  /** Stops the run (no new measurements); it ends with the phase Argo gives a terminated run. */
  stop(): void;
}

interface State extends MetricState {
  readonly plan: MetricPlan;
  counters: MetricCounters;
  measurements: Measurement[];
  phase: AnalysisPhase;
  message?: string;
}

/** Starts a run; throws at once (AnalysisSpecError, ArgError, ...) when the templates or args are unusable. */
export function startAnalysis(options: RunAnalysisOptions): AnalysisRunHandle {
  const plan = planAnalysis(options);
  const clock = options.clock ?? scaledClock(options.timeScale ?? 1);
  const stopper = new AbortController();
  options.signal?.addEventListener('abort', () => stopper.abort(), { once: true });
  const stream = new EventStream<AnalysisEvent>();
  const emit = (event: AnalysisEvent) => {
    options.onEvent?.(event);
    stream.push(event);
  };
  const states: State[] = plan.metrics.map((p) => ({
    plan: p,
    name: p.metric.name,
    dryRun: p.dryRun,
    counters: ZERO_COUNTERS,
    measurements: [],
    phase: 'Pending',
  }));
  const result = loop(states, plan.warnings, plan.secrets, clock, options, stopper.signal, emit).finally(() =>
    stream.close(),
  );
  return { events: stream, result, stop: () => stopper.abort() };
}

/** Runs an analysis to its end and returns the phase Argo would reach. */
export async function runAnalysis(options: RunAnalysisOptions): Promise<AnalysisResult> {
  return startAnalysis(options).result;
}

async function loop(
  states: State[],
  warnings: readonly string[],
  secrets: readonly string[],
  clock: Clock,
  options: RunAnalysisOptions,
  stopSignal: AbortSignal,
  emit: (event: AnalysisEvent) => void,
): Promise<AnalysisResult> {
  const at = () => new Date(clock.now());
  const startedAt = clock.now();
  emit({ type: 'started', at: at(), metrics: states.map(info) });
  for (const message of warnings) emit({ type: 'warning', at: at(), message });
  const attempts = new Map<string, number>();
  for (;;) {
    const terminating = isTerminating(states, stopSignal.aborted);
    const now = clock.now();
    const due = states.filter((s) => isDue(s, now, startedAt, terminating));
    const taken = await Promise.all(
      due.map(async (s) => {
        const attempt = attempts.get(s.name) ?? 0;
        attempts.set(s.name, attempt + 1);
        if (options.provider === undefined)
          return measure(s.plan, { now: at, transport: options.transport, secrets });
        const begin = at();
        const outcome = await options.provider(s.plan, attempt);
        return { ...outcome, startedAt: begin, finishedAt: at() };
      }),
    );
    due.forEach((s, i) => {
      const m = taken[i] as Measurement;
      s.counters = countMeasurement(s.counters, m.phase);
      s.measurements.push(m);
      emit({
        type: 'measurement',
        at: at(),
        metric: s.name,
        dryRun: s.dryRun,
        measurement: m,
        counters: s.counters,
      });
      if (m.nonJsonQuirk === true)
        emit({
          type: 'warning',
          at: at(),
          metric: s.name,
          message:
            `metric ${s.name}: the provider answered 2xx with a body that is not JSON; Argo Rollouts v1.9.1 counts ` +
            'that as Successful WITHOUT evaluating any condition (a v1.9.1 quirk, fixed later by argo-rollouts PR #4770)',
        });
    });
    for (const s of states) {
      if (isCompleted(s.phase)) continue;
      const assessed = assessMetric(s.plan.metric, s.counters, s.measurements, terminating);
      if (assessed.phase === s.phase) continue;
      s.phase = assessed.phase;
      s.message = assessed.message;
      if (isCompleted(s.phase))
        emit({
          type: 'metric',
          at: at(),
          metric: s.name,
          dryRun: s.dryRun,
          phase: s.phase,
          ...msg(assessed.message),
        });
    }
    const run = assessRun(states, terminating);
    if (isCompleted(run.phase)) {
      const result: AnalysisResult = {
        phase: run.phase,
        ...msg(run.message),
        metrics: states.map(toResult),
        startedAt: new Date(startedAt),
        finishedAt: at(),
        stopped: stopSignal.aborted,
      };
      emit({ type: 'finished', at: at(), result });
      return result;
    }
    if (reachedMaximum(states, options.maxMeasurements) && !stopSignal.aborted) {
      emit({
        type: 'warning',
        at: at(),
        message: `--max-measurements ${options.maxMeasurements} reached: stopping the run`,
      });
      return finishStopped(states, startedAt, at, emit);
    }
    if (isTerminating(states, stopSignal.aborted) !== terminating) continue;
    const next = nextDue(states, startedAt);
    if (next === undefined) throw new Error('internal: no measurement is due and the run is not complete');
    await clock.sleep(Math.max(0, next - clock.now()), stopSignal);
  }
}

/** --max-measurements: the run is terminated, which completes every metric still running as Successful. */
function finishStopped(
  states: State[],
  startedAt: number,
  at: () => Date,
  emit: (event: AnalysisEvent) => void,
): AnalysisResult {
  for (const s of states) {
    if (isCompleted(s.phase)) continue;
    const assessed = assessMetric(s.plan.metric, s.counters, s.measurements, true);
    s.phase = assessed.phase;
    s.message = assessed.message;
    emit({
      type: 'metric',
      at: at(),
      metric: s.name,
      dryRun: s.dryRun,
      phase: s.phase,
      ...msg(assessed.message),
    });
  }
  const run = assessRun(states, true);
  const result: AnalysisResult = {
    phase: run.phase,
    ...msg(run.message),
    metrics: states.map(toResult),
    startedAt: new Date(startedAt),
    finishedAt: at(),
    stopped: true,
  };
  emit({ type: 'finished', at: at(), result });
  return result;
}

function reachedMaximum(states: readonly State[], max: number | undefined): boolean {
  if (max === undefined) return false;
  const open = states.filter((s) => !isCompleted(s.phase) && effectiveCount(s.plan.metric) === undefined);
  return open.length > 0 && open.every((s) => s.counters.count >= max);
}

/** generateMetricTasks: whether a metric takes a measurement in this reconcile. */
function isDue(s: State, now: number, startedAt: number, terminating: boolean): boolean {
  if (isCompleted(s.phase) || terminating) return false;
  const last = s.measurements.at(-1);
  if (last === undefined) return now >= startedAt + (s.plan.initialDelayMs ?? 0);
  const count = effectiveCount(s.plan.metric);
  if (count !== undefined && s.counters.count >= count) return false;
  return now >= last.finishedAt.getTime() + intervalAfter(s, last);
}

function intervalAfter(s: State, last: Measurement): number {
  return last.phase === 'Error' ? ERROR_RETRY_MS : (s.plan.intervalMs ?? ERROR_RETRY_MS);
}

/** calculateNextReconcileTime: the earliest time a metric is due. */
function nextDue(states: readonly State[], startedAt: number): number | undefined {
  let next: number | undefined;
  for (const s of states) {
    if (isCompleted(s.phase)) continue;
    const last = s.measurements.at(-1);
    let time: number | undefined;
    if (last === undefined) time = startedAt + (s.plan.initialDelayMs ?? 0);
    else {
      const count = effectiveCount(s.plan.metric);
      if (count !== undefined && s.counters.count >= count) continue;
      time = last.finishedAt.getTime() + intervalAfter(s, last);
    }
    if (next === undefined || time < next) next = time;
  }
  return next;
}

function info(s: State) {
  const m = s.plan.metric;
  const count = effectiveCount(m);
  return {
    name: s.name,
    dryRun: s.dryRun,
    ...(count !== undefined ? { count } : {}),
    ...(m.interval ? { interval: formatDuration(s.plan.intervalMs ?? 0) } : {}),
    ...(m.initialDelay ? { initialDelay: formatDuration(s.plan.initialDelayMs ?? 0) } : {}),
  };
}

function toResult(s: State): MetricResult {
  return {
    name: s.name,
    phase: s.phase,
    dryRun: s.dryRun,
    measurements: s.measurements,
    ...s.counters,
    ...msg(s.message),
  };
}

function msg(message: string | undefined): { message?: string } {
  return message === undefined ? {} : { message };
}
