// The latency check: any vLLM latency histogram (e2e, TTFT, inter-token, queue) at any quantile, canary vs stable.
// Both tracks' bucket increments over the same window feed the quantile (Prometheus' interpolation) and the
// statistical comparison of the two distributions.
import { LATENCY_HISTOGRAMS, LATENCY_SIGNALS, type LatencySignal } from '../catalog/index.js';
import { histogramCount, histogramQuantile } from '../judge/index.js';
import type { HistogramData, TrackSelector } from '../sources/metric-source.js';
import { compareLatency } from './comparisons.js';
import { collect, forBothTracks, resolveMetricName } from './measure-helpers.js';
import type { CheckContext, CheckDefinition, CommonParams, Measurement } from './types.js';

export interface LatencyParams extends CommonParams {
  readonly signal: LatencySignal;
  readonly quantile: number;
  readonly max?: number;
  readonly maxRatio?: number;
  readonly maxIncrease?: number;
}

const FIGURE_NAMES: Record<LatencySignal, string> = {
  e2e: 'e2e latency',
  ttft: 'time to first token',
  itl: 'inter-token latency',
  queue: 'queue time',
};

export const latencyCheck: CheckDefinition<LatencyParams> = {
  name: 'latency',
  paramsSchema: {
    signal: { type: 'string', enum: [...LATENCY_SIGNALS], default: 'e2e' },
    quantile: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95 },
    max: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000, description: 'seconds' },
    maxRatio: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
    maxIncrease: { type: 'number', minimum: 0, maximum: 1_000_000, description: 'seconds' },
  },

  limitParams: { absolute: ['max'], relative: ['maxRatio', 'maxIncrease'] },
  supportsTest: true,

  async measure(context: CheckContext, params: LatencyParams): Promise<Measurement> {
    const candidates = LATENCY_HISTOGRAMS[params.signal].map((h) => h.name);
    const ask = async (track: TrackSelector) => {
      const metric = await resolveMetricName(context.source, candidates, track, context.signal, '_bucket');
      const answer = await context.source.histogram(
        { kind: 'histogram', metric, track, windowSeconds: context.windowSeconds, hasModelLabel: true },
        context.signal,
      );
      return { metric, answer };
    };
    const both = await forBothTracks(context, ask);
    const canary = both.canary.answer.value;
    const stable = both.stable?.answer.value;
    const test =
      params.test && canary !== undefined && stable !== undefined
        ? compareLatency(canary, stable, params)
        : undefined;

    const quantileOf = (h: HistogramData | undefined) =>
      h === undefined ? undefined : finiteOrUndefined(histogramQuantile(params.quantile, h));
    return {
      facets: [
        {
          metric: both.canary.metric,
          judgement: {
            direction: 'increase-is-bad',
            testRequired: params.test,
            unit: 'seconds',
            figure: `p${formatQuantile(params.quantile)} ${FIGURE_NAMES[params.signal]}`,
            limits: {
              absolute: params.max,
              ratio: params.maxRatio,
              delta: params.maxIncrease,
              minSamples: params.minRequests,
            },
          },
          observation: {
            value: quantileOf(canary),
            baseline: quantileOf(stable),
            samples: {
              canary: canary === undefined ? 0 : histogramCount(canary),
              stable: stable === undefined ? 0 : histogramCount(stable),
            },
            test,
          },
        },
      ],
      ...collect([both.canary.answer, both.stable?.answer]),
    };
  },
};

function finiteOrUndefined(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}

function formatQuantile(q: number): string {
  return String(Math.round(q * 10000) / 100);
}
