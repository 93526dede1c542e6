// The sampler's Prometheus metrics, on a registry passed in. Labels: track, dataset, namespace and target (the
// pod-template-hash or Service), so Prometheus keeps each deployment's scores apart and the quality check can read
// them back (prometheus-observation.ts). Weighted sums carry the dataset weights; the histogram counts items.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Endpoint } from './endpoints.js';
import { FAILED_BELOW, type RequestOutcome, type Track } from './types.js';

export const QUALITY_METRICS = {
  score: 'vllm_canary_quality_score',
  requests: 'vllm_canary_quality_requests_total',
  failed: 'vllm_canary_quality_items_failed_total',
  weights: 'vllm_canary_quality_weights_total',
  weightedScores: 'vllm_canary_quality_weighted_scores_total',
  weightedSquares: 'vllm_canary_quality_weighted_squared_scores_total',
} as const;

const LABELS = ['track', 'dataset', 'namespace', 'target'] as const;
type Labels = Record<(typeof LABELS)[number], string>;

export class QualityMetrics {
  private readonly score: Histogram<(typeof LABELS)[number]>;
  private readonly requests: Counter<(typeof LABELS)[number] | 'outcome'>;
  private readonly failed: Counter<(typeof LABELS)[number]>;
  private readonly weights: Counter<(typeof LABELS)[number]>;
  private readonly weightedScores: Counter<(typeof LABELS)[number]>;
  private readonly weightedSquares: Counter<(typeof LABELS)[number]>;

  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = [...LABELS];
    this.score = new Histogram({
      name: QUALITY_METRICS.score,
      help: 'Score (0-1) of each sampled answer to a reference item, per track and deployment.',
      labelNames,
      buckets: [0, 0.25, 0.5, 0.75, 0.9, 1],
      registers,
    });
    this.requests = new Counter({
      name: QUALITY_METRICS.requests,
      help: 'Quality sampling requests by outcome: answered (scored), error, timeout.',
      labelNames: [...labelNames, 'outcome'],
      registers,
    });
    this.failed = new Counter({
      name: QUALITY_METRICS.failed,
      help: `Answered items that scored below ${FAILED_BELOW}.`,
      labelNames,
      registers,
    });
    this.weights = new Counter({
      name: QUALITY_METRICS.weights,
      help: 'Sum of the dataset weights of scored items.',
      labelNames,
      registers,
    });
    this.weightedScores = new Counter({
      name: QUALITY_METRICS.weightedScores,
      help: 'Sum of weight * score of scored items (mean score = this / weights).',
      labelNames,
      registers,
    });
    this.weightedSquares = new Counter({
      name: QUALITY_METRICS.weightedSquares,
      help: 'Sum of weight * score^2 of scored items (for the variance of the mean).',
      labelNames,
      registers,
    });
  }

  /** Counts one finished request; a cancelled one says nothing about the model and is not counted. */
  record(track: Track, dataset: string, endpoint: Endpoint, outcome: RequestOutcome, weight: number): void {
    if (outcome.outcome === 'cancelled') return;
    const labels: Labels = { track, dataset, namespace: endpoint.namespace, target: endpoint.target };
    this.requests.inc({ ...labels, outcome: outcome.outcome });
    if (outcome.outcome !== 'answered') return;
    this.score.observe(labels, outcome.score);
    if (outcome.score < FAILED_BELOW) this.failed.inc(labels);
    this.weights.inc(labels, weight);
    this.weightedScores.inc(labels, weight * outcome.score);
    this.weightedSquares.inc(labels, weight * outcome.score * outcome.score);
  }
}
