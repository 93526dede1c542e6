// Realistic vLLM metric history for backfill: for each track (a pod-template-hash) some pods, each with the
// histograms, counters and gauges vLLM exposes (current names), at steady rates, so the provider's checks have an
// hour of data the moment Prometheus starts. The fault suite, the fuzz suite and the provider benchmark share it.
import {
  logNormal,
  syntheticHistory,
  writeOpenMetrics,
  type Distribution,
  type Labels,
} from '../harness/index.js';
import {
  INTER_TOKEN_BUCKETS,
  REQUEST_LATENCY_BUCKETS,
  TTFT_BUCKETS,
} from '../../metrics-provider/catalog/index.js';

export const NAMESPACE = 'llm';
export const MODEL = 'llama-3-8b';

export interface TrackHistory {
  /** The pod-template-hash. */
  readonly hash: string;
  readonly pods: number;
  /** Finished requests per second per pod. @default 2 */
  readonly requestsPerSecond?: number;
  /** Share of requests answered 5xx. @default 0.002 */
  readonly errorShare?: number;
  /** Median e2e latency in seconds. @default 1.2 */
  readonly e2eMedian?: number;
  /** KV-cache usage of each pod. @default 0.45 */
  readonly kvCache?: number;
  /** Waiting requests of each pod. @default 1 */
  readonly waiting?: number;
}

export interface HistoryOptions {
  readonly tracks: readonly TrackHistory[];
  /** @default 3600 */
  readonly durationSeconds?: number;
  /** @default 15 */
  readonly stepSeconds?: number;
}

function podLabels(track: TrackHistory, pod: number, withModel: boolean): Labels {
  return {
    namespace: NAMESPACE,
    rollouts_pod_template_hash: track.hash,
    service: `svc-${track.hash}`,
    pod: `vllm-${track.hash}-${pod}`,
    ...(withModel ? { model_name: MODEL } : {}),
  };
}

/** OpenMetrics text for `startPrometheus({ backfill })`. */
export function vllmHistory(options: HistoryOptions): string {
  const pods = options.tracks.flatMap((track) =>
    Array.from({ length: track.pods }, (_, i) => ({ track, i })),
  );
  const histogram = (name: string, buckets: readonly number[], dist: (t: TrackHistory) => Distribution) => ({
    name,
    buckets,
    series: pods.map(({ track, i }) => ({
      labels: podLabels(track, i, true),
      perSecond: track.requestsPerSecond ?? 2,
      distribution: dist(track),
    })),
  });
  const families = syntheticHistory({
    durationSeconds: options.durationSeconds ?? 3600,
    stepSeconds: options.stepSeconds ?? 15,
    histograms: [
      histogram('vllm:e2e_request_latency_seconds', REQUEST_LATENCY_BUCKETS, (t) =>
        logNormal(t.e2eMedian ?? 1.2, 0.4),
      ),
      histogram('vllm:time_to_first_token_seconds', TTFT_BUCKETS, (t) =>
        logNormal((t.e2eMedian ?? 1.2) / 12, 0.4),
      ),
      histogram('vllm:inter_token_latency_seconds', INTER_TOKEN_BUCKETS, (t) =>
        logNormal((t.e2eMedian ?? 1.2) / 48, 0.3),
      ),
      histogram('vllm:request_queue_time_seconds', REQUEST_LATENCY_BUCKETS, () => logNormal(0.01, 0.5)),
    ],
    counters: [
      {
        name: 'vllm:request_success_total',
        series: pods.flatMap(({ track, i }) => [
          {
            labels: { ...podLabels(track, i, true), finished_reason: 'stop' },
            value: (track.requestsPerSecond ?? 2) * 0.9,
          },
          {
            labels: { ...podLabels(track, i, true), finished_reason: 'length' },
            value: (track.requestsPerSecond ?? 2) * 0.1,
          },
        ]),
      },
      {
        name: 'http_requests_total',
        series: pods.flatMap(({ track, i }) => {
          const rate = track.requestsPerSecond ?? 2;
          const errors = track.errorShare ?? 0.002;
          const base = { ...podLabels(track, i, false), handler: '/v1/chat/completions', method: 'POST' };
          return [
            { labels: { ...base, status: '2xx' }, value: rate * (1 - errors) },
            { labels: { ...base, status: '5xx' }, value: rate * errors },
          ];
        }),
      },
      {
        name: 'vllm:num_preemptions_total',
        series: pods.map(({ track, i }) => ({ labels: podLabels(track, i, true), value: 0.001 })),
      },
    ],
    gauges: [
      {
        name: 'vllm:kv_cache_usage_perc',
        series: pods.map(({ track, i }) => ({
          labels: podLabels(track, i, true),
          value: track.kvCache ?? 0.45,
        })),
      },
      {
        name: 'vllm:num_requests_waiting',
        series: pods.map(({ track, i }) => ({
          labels: podLabels(track, i, true),
          value: track.waiting ?? 1,
        })),
      },
      {
        name: 'vllm:num_requests_running',
        series: pods.map(({ track, i }) => ({ labels: podLabels(track, i, true), value: 8 })),
      },
    ],
  });
  return writeOpenMetrics(families);
}

/** A check's query string as an AnalysisTemplate builds it. */
export function checkUrl(
  check: string,
  canary: string,
  stable: string,
  params: Record<string, string | number> = {},
): string {
  const query = new URLSearchParams({
    namespace: NAMESPACE,
    model: MODEL,
    canary,
    stable,
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  });
  return `/api/v1/checks/${check}?${query.toString()}`;
}

/** The checks an analysis asks each interval: the library's usual set, each with a limit so it can fail. */
export const ANALYSIS_CHECKS: ReadonlyArray<readonly [string, Record<string, string | number>]> = [
  ['latency', { maxRatio: 1.5 }],
  ['latency', { signal: 'ttft', maxRatio: 1.5 }],
  ['error-ratio', { max: 0.02 }],
  ['kv-cache', { max: 0.9 }],
  ['queue', { max: 50 }],
];
