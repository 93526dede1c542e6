// The quality observation read back from Prometheus, where the sampler's metrics are scraped (so every provider
// replica judges all samples): per track, mean = increase(weighted scores) / increase(weights) over the window.
// Prometheus does not know which items were paired, so samples are each track's scored items.
import { quoteLabelValue } from '../sources/prometheus/index.js';
import type { TestConfig } from '../judge/index.js';
import type { QualityObservation } from '../checks/quality.js';
import { QUALITY_METRICS } from './metrics.js';
import { observationFromSums, type WeightedSums } from './observation.js';

/** Runs an instant query whose answer is one number; undefined when the result is empty. */
export type InstantQuery = (promql: string, signal?: AbortSignal) => Promise<number | undefined>;

export interface PrometheusTrack {
  readonly namespace: string;
  /** pod-template-hash or Service name: the `target` label. */
  readonly value: string;
}

export interface PrometheusQualityQuestion {
  readonly canary: PrometheusTrack;
  readonly stable?: PrometheusTrack;
  readonly dataset: string;
  readonly windowSeconds: number;
  readonly test?: TestConfig;
  readonly signal?: AbortSignal;
}

function selector(track: PrometheusTrack, dataset: string, extra = ''): string {
  return `{dataset=${quoteLabelValue(dataset)},namespace=${quoteLabelValue(track.namespace)},target=${quoteLabelValue(track.value)}${extra}}`;
}

/** The PromQL of one track: scored items, weights, weighted scores and squares, errors, timeouts. */
export function trackQueries(track: PrometheusTrack, dataset: string, windowSeconds: number) {
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
    throw new Error(`windowSeconds must be a positive integer, got ${windowSeconds}`);
  }
  const increase = (metric: string, extra = '') =>
    `sum(increase(${metric}${selector(track, dataset, extra)}[${windowSeconds}s]))`;
  return {
    count: increase(`${QUALITY_METRICS.score}_count`),
    weight: increase(QUALITY_METRICS.weights),
    weightedSum: increase(QUALITY_METRICS.weightedScores),
    weightedSquares: increase(QUALITY_METRICS.weightedSquares),
    errors: increase(QUALITY_METRICS.requests, ',outcome="error"'),
    timeouts: increase(QUALITY_METRICS.requests, ',outcome="timeout"'),
  };
}

export async function prometheusQualityObservation(
  instantQuery: InstantQuery,
  question: PrometheusQualityQuestion,
): Promise<QualityObservation> {
  const queries: string[] = [];
  const read = async (track: PrometheusTrack) => {
    const q = trackQueries(track, question.dataset, question.windowSeconds);
    queries.push(...Object.values(q));
    const [count, weight, weightedSum, weightedSquares, errors, timeouts] = await Promise.all(
      [q.count, q.weight, q.weightedSum, q.weightedSquares, q.errors, q.timeouts].map(
        async (promql) => (await instantQuery(promql, question.signal)) ?? 0,
      ),
    );
    const sums: WeightedSums = {
      count: Math.round(count!),
      weight: weight!,
      weightedSum: weightedSum!,
      weightedSquares: weightedSquares!,
    };
    return { sums, errors: Math.round(errors!), timeouts: Math.round(timeouts!) };
  };
  const canary = await read(question.canary);
  const stable = question.stable ? await read(question.stable) : undefined;
  const observation = observationFromSums(
    canary.sums,
    stable?.sums,
    { ...(question.test ? { test: question.test } : {}) },
    () =>
      `no scored quality samples of ${question.canary.value} on ${question.dataset} in Prometheus over ${question.windowSeconds}s` +
      ` (canary errors ${canary.errors}, timeouts ${canary.timeouts})`,
  );
  return { observation, metric: QUALITY_METRICS.score, queries };
}
