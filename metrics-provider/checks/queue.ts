// The queue check: requests waiting for a slot in the canary's scheduler (vllm:num_requests_waiting), the highest
// or the mean over the window, canary vs stable. A growing queue is the first sign of a slower or larger model.
import { VLLM_METRICS } from '../catalog/index.js';
import type { TrackSelector } from '../sources/metric-source.js';
import { collect, forBothTracks } from './measure-helpers.js';
import { requestCount } from './traffic.js';
import type { CheckContext, CheckDefinition, CommonParams, Measurement } from './types.js';

export interface QueueParams extends CommonParams {
  readonly aggregate: 'max' | 'avg';
  readonly max?: number;
  readonly maxRatio?: number;
  readonly maxIncrease?: number;
}

export const queueCheck: CheckDefinition<QueueParams> = {
  name: 'queue',
  paramsSchema: {
    aggregate: { type: 'string', enum: ['max', 'avg'], default: 'max' },
    max: { type: 'number', minimum: 0, maximum: 1_000_000, description: 'waiting requests' },
    maxRatio: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
    maxIncrease: {
      type: 'number',
      minimum: 0,
      maximum: 1_000_000,
      default: 4,
      description: 'waiting requests',
    },
  },

  limitParams: { absolute: ['max'], relative: ['maxRatio', 'maxIncrease'] },
  supportsTest: false,

  async measure(context: CheckContext, params: QueueParams): Promise<Measurement> {
    const ask = async (track: TrackSelector) => {
      const [waiting, requests] = await Promise.all([
        context.source.gauge(
          {
            kind: 'gauge',
            metric: VLLM_METRICS.requestsWaiting,
            aggregate: params.aggregate,
            track,
            windowSeconds: context.windowSeconds,
            hasModelLabel: true,
          },
          context.signal,
        ),
        requestCount(context, track),
      ]);
      return { waiting, requests };
    };
    const both = await forBothTracks(context, ask);
    return {
      facets: [
        {
          metric: VLLM_METRICS.requestsWaiting,
          judgement: {
            direction: 'increase-is-bad',
            unit: 'requests',
            figure: `${params.aggregate === 'max' ? 'peak' : 'mean'} waiting requests`,
            limits: {
              absolute: params.max,
              ratio: params.maxRatio,
              delta: params.maxIncrease,
              minSamples: params.minRequests,
            },
          },
          observation: {
            value: both.canary.waiting.value,
            baseline: both.stable?.waiting.value,
            samples: { canary: both.canary.requests.value, stable: both.stable?.requests.value ?? 0 },
          },
        },
      ],
      ...collect([
        both.canary.waiting,
        both.canary.requests.answer,
        both.stable?.waiting,
        both.stable?.requests.answer,
      ]),
    };
  },
};
