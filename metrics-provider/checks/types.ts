// What a check is: a name, the parameters it takes, and how it measures canary and stable. Judging is left to
// the judge; a check only gathers observations (one or more "facets", e.g. KV usage and preemptions).
import type { CheckJudgement, Observation } from '../judge/index.js';
import type { MetricSource, TrackSelector } from '../sources/metric-source.js';

export const CHECK_NAMES = ['latency', 'error-ratio', 'kv-cache', 'queue', 'quality'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** Parameters every check takes (see docs/api.md), after validation and defaults. */
export interface CommonParams {
  readonly namespace: string;
  readonly model: string;
  readonly canary: string;
  readonly stable?: string;
  readonly by: 'pod-template-hash' | 'service';
  readonly window: string;
  readonly minRequests: number;
  readonly test: boolean;
  readonly confidence: number;
  readonly tolerance?: number;
  readonly looks: number;
}

export interface Tracks {
  readonly canary: TrackSelector;
  readonly stable?: TrackSelector;
}

/** What a check may use while measuring. */
export interface CheckContext {
  readonly source: MetricSource;
  readonly tracks: Tracks;
  readonly windowSeconds: number;
  readonly signal: AbortSignal;
}

/** One judged figure of a check. */
export interface Facet {
  readonly metric: string;
  readonly judgement: CheckJudgement;
  readonly observation: Observation;
}

export interface Measurement {
  /** The first facet is the check's headline figure. */
  readonly facets: readonly Facet[];
  readonly queries: readonly string[];
  readonly unhealthyTargets: readonly string[];
}

export interface CheckDefinition<P extends CommonParams = CommonParams> {
  readonly name: CheckName;
  /** JSON Schema properties of this check's own parameters (merged with the common ones). */
  readonly paramsSchema: Readonly<Record<string, object>>;
  /** Which parameters are limits: absolute ones (an SLO) and relative ones (against stable). */
  readonly limitParams: { readonly absolute: readonly string[]; readonly relative: readonly string[] };
  /** Whether the check runs the statistical comparison with stable when `test` is true. */
  readonly supportsTest: boolean;
  measure(context: CheckContext, params: P): Promise<Measurement>;
}
