// Runs one check end to end: parameters -> tracks -> measurement -> classification per facet -> one answer.
// The worst facet decides (fail over inconclusive over pass), and a pass with canary targets that could not be
// scraped is downgraded to inconclusive: a partial view of the canary never passes it.
import type { Classification, Limits, TestResult, Verdict } from '../judge/index.js';
import { classify } from '../judge/index.js';
import { InvalidRequestError } from '../errors.js';
import type { MetricSource, TrackSelector } from '../sources/metric-source.js';
import { parseCheckParams } from './params.js';
import type { CheckDefinition, CommonParams, Facet, Measurement, Tracks } from './types.js';
import { windowSeconds } from './window.js';

export interface CheckAnswer {
  readonly check: string;
  readonly verdict: Verdict;
  readonly label: Classification['label'];
  readonly reason: string;
  readonly value: number | null;
  readonly baseline: number | null;
  readonly deviation: number | null;
  readonly unit: string;
  readonly limits: Limits;
  readonly samples: { readonly canary: number; readonly stable: number };
  readonly test: TestResult | null;
  readonly metric: string;
  readonly facets?: readonly FacetAnswer[];
  readonly unhealthyTargets?: readonly string[];
  readonly queries: readonly string[];
  readonly source: string;
  readonly window: string;
  readonly measuredAt: string;
}

export interface FacetAnswer {
  readonly figure: string;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly value: number | null;
  readonly baseline: number | null;
}

const SEVERITY: Record<Verdict, number> = { pass: 0, inconclusive: 1, fail: 2 };

export function tracksOf(params: CommonParams): Tracks {
  const track = (value: string): TrackSelector => ({
    namespace: params.namespace,
    model: params.model,
    by: params.by,
    value,
  });
  if (params.stable !== undefined && params.stable === params.canary) {
    throw new InvalidRequestError('canary and stable name the same pods', [
      {
        field: 'stable',
        message: 'equals canary',
        allowed: 'the stable pod-template-hash or Service, not the canary one',
      },
    ]);
  }
  return {
    canary: track(params.canary),
    stable: params.stable === undefined ? undefined : track(params.stable),
  };
}

/** Validates raw parameters and measures; what is thrown is a typed ProviderError for the error middleware. */
export async function runCheck<P extends CommonParams>(
  definition: CheckDefinition<P>,
  raw: unknown,
  source: MetricSource,
  signal: AbortSignal,
  now: () => Date = () => new Date(),
): Promise<CheckAnswer> {
  const params = parseCheckParams(definition, raw);
  return measureAndJudge(definition, params, source, signal, now);
}

export async function measureAndJudge<P extends CommonParams>(
  definition: CheckDefinition<P>,
  params: P,
  source: MetricSource,
  signal: AbortSignal,
  now: () => Date = () => new Date(),
): Promise<CheckAnswer> {
  const context = { source, tracks: tracksOf(params), windowSeconds: windowSeconds(params.window), signal };
  const measurement = await definition.measure(context, params);
  return answerOf(definition.name, params.window, source.name, measurement, now());
}

export function answerOf(
  check: string,
  window: string,
  sourceName: string,
  measurement: Measurement,
  measuredAt: Date,
): CheckAnswer {
  const judged = measurement.facets.map((facet) => ({
    facet,
    classification: classify(facet.judgement, facet.observation),
  }));
  const headline = judged[0];
  if (headline === undefined) throw new Error(`check ${check} measured no facet`);
  const deciding = judged.reduce((worst, j) =>
    SEVERITY[j.classification.verdict] > SEVERITY[worst.classification.verdict] ? j : worst,
  );
  let verdict = deciding.classification.verdict;
  let reason = deciding.classification.reason;
  const unhealthy = measurement.unhealthyTargets;
  if (verdict === 'pass' && unhealthy.length > 0) {
    verdict = 'inconclusive';
    reason = `${unhealthy.length} target(s) could not be scraped (${unhealthy.join(', ')}); ${reason}`;
  }
  const { observation, judgement } = headline.facet;
  return {
    check,
    verdict,
    label: deciding.classification.label,
    reason,
    value: nullable(observation.value),
    baseline: nullable(observation.baseline),
    deviation: nullable(headline.classification.deviation),
    unit: judgement.unit,
    limits: judgement.limits,
    samples: { canary: round(observation.samples.canary), stable: round(observation.samples.stable) },
    test: observation.test ?? null,
    metric: headline.facet.metric,
    ...(judged.length > 1
      ? { facets: judged.map(({ facet, classification }) => facetAnswer(facet, classification)) }
      : {}),
    ...(unhealthy.length > 0 ? { unhealthyTargets: unhealthy } : {}),
    queries: measurement.queries,
    source: sourceName,
    window,
    measuredAt: measuredAt.toISOString(),
  };
}

function facetAnswer(facet: Facet, classification: Classification): FacetAnswer {
  return {
    figure: facet.judgement.figure,
    verdict: classification.verdict,
    reason: classification.reason,
    value: nullable(facet.observation.value),
    baseline: nullable(facet.observation.baseline),
  };
}

function nullable(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
