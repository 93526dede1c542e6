// The error-ratio check: the share of requests that failed. vLLM counts no 5xx in its own counters, so failures are
// HTTP 5xx answers (http_requests_total, grouped status, no model label) plus requests vLLM finished as `abort` or
// `error` (vllm:request_success_total by finished_reason).
import { FAILED_FINISHED_REASONS, VLLM_METRICS } from '../catalog/index.js';
import type { CounterData, TrackSelector } from '../sources/metric-source.js';
import { compareErrorRatio } from './comparisons.js';
import { collect, forBothTracks } from './measure-helpers.js';
import type { CheckContext, CheckDefinition, CommonParams, Measurement } from './types.js';

export interface ErrorRatioParams extends CommonParams {
  readonly max?: number;
  readonly maxRatio?: number;
  readonly maxIncrease?: number;
}

/** Failed and total requests of one track over the window. */
export interface ErrorCounts {
  readonly failed: number;
  readonly total: number;
}

export const errorRatioCheck: CheckDefinition<ErrorRatioParams> = {
  name: 'error-ratio',
  paramsSchema: {
    max: { type: 'number', minimum: 0, maximum: 1 },
    maxRatio: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
    maxIncrease: { type: 'number', minimum: 0, maximum: 1 },
  },

  limitParams: { absolute: ['max'], relative: ['maxRatio', 'maxIncrease'] },
  supportsTest: true,

  async measure(context: CheckContext, params: ErrorRatioParams): Promise<Measurement> {
    const ask = async (track: TrackSelector) => {
      const base = { kind: 'counter', track, windowSeconds: context.windowSeconds } as const;
      const [http, finished] = await Promise.all([
        context.source.counter(
          { ...base, metric: VLLM_METRICS.httpRequests, hasModelLabel: false, groupBy: 'status' },
          context.signal,
        ),
        context.source.counter(
          { ...base, metric: VLLM_METRICS.requestSuccess, hasModelLabel: true, groupBy: 'finished_reason' },
          context.signal,
        ),
      ]);
      return { http, finished, counts: errorCounts(http.value, finished.value) };
    };
    const both = await forBothTracks(context, ask);
    const canary = both.canary.counts;
    const stable = both.stable?.counts;
    const ratio = (c: ErrorCounts | undefined) =>
      c === undefined || c.total <= 0 ? undefined : c.failed / c.total;
    const test = params.test && stable !== undefined ? compareErrorRatio(canary, stable, params) : undefined;

    return {
      facets: [
        {
          metric: `${VLLM_METRICS.httpRequests}, ${VLLM_METRICS.requestSuccess}`,
          judgement: {
            direction: 'increase-is-bad',
            testRequired: params.test,
            unit: 'ratio',
            figure: 'error ratio',
            limits: {
              absolute: params.max,
              ratio: params.maxRatio,
              delta: params.maxIncrease,
              minSamples: params.minRequests,
            },
          },
          observation: {
            value: ratio(canary),
            baseline: ratio(stable),
            samples: { canary: canary.total, stable: stable?.total ?? 0 },
            test,
          },
        },
      ],
      ...collect([both.canary.http, both.canary.finished, both.stable?.http, both.stable?.finished]),
    };
  },
};

/**
 * Failed = 5xx answers + aborted/errored finishes; total = all HTTP answers on the API, or, where no HTTP metric is
 * scraped, finished requests plus 5xx answers.
 */
export function errorCounts(httpByStatus: CounterData, finishedByReason: CounterData): ErrorCounts {
  const sum = (data: CounterData) => Object.values(data).reduce((a, b) => a + b, 0);
  const serverErrors = httpByStatus['5xx'] ?? 0;
  const failedFinishes = FAILED_FINISHED_REASONS.reduce(
    (a, reason) => a + (finishedByReason[reason] ?? 0),
    0,
  );
  const httpTotal = sum(httpByStatus);
  const total = httpTotal > 0 ? httpTotal : sum(finishedByReason) + serverErrors;
  return { failed: Math.min(total, serverErrors + failedFinishes), total };
}
