// The quality check: sampled answer quality of canary and stable on a reference dataset (see ../quality/). The
// scores come from a QualityObserver: the sampler's own memory, or Prometheus where the provider's quality metrics
// are scraped. Until enough paired items are scored the check answers inconclusive, never pass.
import type { Observation } from '../judge/index.js';
import type { CheckContext, CheckDefinition, CommonParams, Measurement, Tracks } from './types.js';

export interface QualityParams extends CommonParams {
  readonly dataset: string;
  readonly min?: number;
  readonly maxDecrease?: number;
  readonly minItems: number;
  /** Items to sample now, in pairs, before answering (0: judge what was sampled already). */
  readonly sample: number;
}

export interface QualityQuestion {
  readonly tracks: Tracks;
  readonly params: QualityParams;
  readonly windowSeconds: number;
  readonly signal: AbortSignal;
}

export interface QualityObservation {
  readonly observation: Observation;
  readonly metric: string;
  readonly queries: readonly string[];
}

/** What the quality check asks of the sampling side. */
export interface QualityObserver {
  observe(question: QualityQuestion): Promise<QualityObservation>;
}

export const QUALITY_PARAMS_SCHEMA: Readonly<Record<string, object>> = {
  dataset: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', default: 'default' },
  min: { type: 'number', minimum: 0, maximum: 1, description: 'lowest mean score the canary may have' },
  maxDecrease: {
    type: 'number',
    minimum: 0,
    maximum: 1,
    description: 'largest drop of mean score below stable',
  },
  minItems: { type: 'integer', minimum: 1, maximum: 100_000, default: 20 },
  sample: { type: 'integer', minimum: 0, maximum: 200, default: 0 },
};

export function qualityCheck(observer: QualityObserver): CheckDefinition<QualityParams> {
  return {
    name: 'quality',
    paramsSchema: QUALITY_PARAMS_SCHEMA,
    limitParams: { absolute: ['min'], relative: ['maxDecrease'] },
    supportsTest: true,
    async measure(context: CheckContext, params: QualityParams): Promise<Measurement> {
      const found = await observer.observe({
        tracks: context.tracks,
        params,
        windowSeconds: context.windowSeconds,
        signal: context.signal,
      });
      return {
        facets: [
          {
            metric: found.metric,
            judgement: {
              direction: 'decrease-is-bad',
              testRequired: params.test,
              unit: 'score',
              figure: `quality on ${params.dataset}`,
              limits: { absolute: params.min, delta: params.maxDecrease, minSamples: params.minItems },
            },
            observation: found.observation,
          },
        ],
        queries: found.queries,
        unhealthyTargets: [],
      };
    },
  };
}
