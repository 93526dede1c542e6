// The KV-cache check: how close the canary's pods come to exhausting GPU KV-cache (highest usage of any pod in the
// window), and how often vLLM preempts requests for lack of it. Usage is judged only when the canary served traffic.
import { KV_CACHE_USAGE_GAUGES, VLLM_METRICS } from '../catalog/index.js';
import type { TrackSelector } from '../sources/metric-source.js';
import { collect, forBothTracks, resolveMetricName } from './measure-helpers.js';
import { requestCount } from './traffic.js';
import type { CheckContext, CheckDefinition, CommonParams, Facet, Measurement } from './types.js';

export interface KvCacheParams extends CommonParams {
  readonly max: number;
  readonly maxRatio?: number;
  readonly maxPreemptionRate?: number;
}

export const kvCacheCheck: CheckDefinition<KvCacheParams> = {
  name: 'kv-cache',
  paramsSchema: {
    max: { type: 'number', minimum: 0, maximum: 1, default: 0.9, description: 'highest KV-cache usage, 0-1' },
    maxRatio: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
    maxPreemptionRate: {
      type: 'number',
      minimum: 0,
      maximum: 1_000_000,
      description: 'preemptions per second',
    },
  },

  limitParams: { absolute: ['max', 'maxPreemptionRate'], relative: ['maxRatio'] },
  supportsTest: false,

  async measure(context: CheckContext, params: KvCacheParams): Promise<Measurement> {
    const ask = async (track: TrackSelector) => {
      const base = { track, windowSeconds: context.windowSeconds, hasModelLabel: true } as const;
      const gauge = await resolveMetricName(context.source, KV_CACHE_USAGE_GAUGES, track, context.signal);
      const [usage, preemptions, requests] = await Promise.all([
        context.source.gauge({ ...base, kind: 'gauge', metric: gauge, aggregate: 'max' }, context.signal),
        context.source.counter(
          { ...base, kind: 'counter', metric: VLLM_METRICS.preemptions },
          context.signal,
        ),
        requestCount(context, track),
      ]);
      return { gauge, usage, preemptions, requests };
    };
    const both = await forBothTracks(context, ask);
    const samples = { canary: both.canary.requests.value, stable: both.stable?.requests.value ?? 0 };
    const rate = (total: number | undefined) =>
      total === undefined ? undefined : total / context.windowSeconds;
    const preemptionRate = (data: Record<string, number> | undefined) =>
      data === undefined ? undefined : rate(data[''] ?? 0);

    const facets: Facet[] = [
      {
        metric: both.canary.gauge,
        judgement: {
          direction: 'increase-is-bad',
          unit: 'ratio',
          figure: 'peak KV-cache usage',
          limits: { absolute: params.max, ratio: params.maxRatio, minSamples: params.minRequests },
        },
        observation: { value: both.canary.usage.value, baseline: both.stable?.usage.value, samples },
      },
    ];
    if (params.maxPreemptionRate !== undefined) {
      facets.push({
        metric: VLLM_METRICS.preemptions,
        judgement: {
          direction: 'increase-is-bad',
          unit: 'per-second',
          figure: 'preemption rate',
          limits: { absolute: params.maxPreemptionRate, minSamples: params.minRequests },
        },
        observation: {
          value: preemptionRate(both.canary.preemptions.value),
          baseline: preemptionRate(both.stable?.preemptions.value),
          samples,
        },
      });
    }
    return {
      facets,
      ...collect([
        both.canary.usage,
        both.canary.preemptions,
        both.canary.requests.answer,
        both.stable?.usage,
        both.stable?.preemptions,
        both.stable?.requests.answer,
      ]),
    };
  },
};
