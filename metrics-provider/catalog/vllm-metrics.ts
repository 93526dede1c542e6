// The vLLM metric catalog: names, types and histogram buckets exactly as vLLM exposes them
// (vllm/v1/metrics/loggers.py, vllm/v1/metrics/buckets.py; HTTP metrics from prometheus-fastapi-instrumentator).
// The emulator exposes these and the provider queries them, so both follow this one table.

/** The two metric generations a canary judge meets in the field. */
export type VllmGeneration = 'current' | 'legacy';
export const VLLM_GENERATIONS: readonly VllmGeneration[] = ['current', 'legacy'];

/** Request-latency buckets: e2e, queue, prefill, decode and inference time. */
export const REQUEST_LATENCY_BUCKETS: readonly number[] = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
];
/** Time-to-first-token buckets. */
export const TTFT_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640,
  2560,
];
/** Inter-token latency (current) and time per output token (legacy) buckets. */
export const INTER_TOKEN_BUCKETS: readonly number[] = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
];

export const VLLM_METRICS = {
  e2eLatency: 'vllm:e2e_request_latency_seconds',
  ttft: 'vllm:time_to_first_token_seconds',
  interTokenLatency: 'vllm:inter_token_latency_seconds',
  timePerOutputToken: 'vllm:time_per_output_token_seconds',
  queueTime: 'vllm:request_queue_time_seconds',
  prefillTime: 'vllm:request_prefill_time_seconds',
  decodeTime: 'vllm:request_decode_time_seconds',
  inferenceTime: 'vllm:request_inference_time_seconds',
  requestSuccess: 'vllm:request_success_total',
  requestsRunning: 'vllm:num_requests_running',
  requestsWaiting: 'vllm:num_requests_waiting',
  kvCacheUsage: 'vllm:kv_cache_usage_perc',
  gpuCacheUsage: 'vllm:gpu_cache_usage_perc',
  preemptions: 'vllm:num_preemptions_total',
  promptTokens: 'vllm:prompt_tokens_total',
  generationTokens: 'vllm:generation_tokens_total',
  httpRequests: 'http_requests_total',
  httpDuration: 'http_request_duration_seconds',
} as const;

/** `finished_reason` values of `vllm:request_success_total`; `abort` and `error` count as failed requests. */
export const FINISHED_REASONS = ['stop', 'length', 'abort', 'error', 'repetition'] as const;
export const FAILED_FINISHED_REASONS = ['abort', 'error'] as const;

/** The latency signals a check can ask for, and the histogram behind each, per generation. */
export type LatencySignal = 'e2e' | 'ttft' | 'itl' | 'queue';
export const LATENCY_SIGNALS: readonly LatencySignal[] = ['e2e', 'ttft', 'itl', 'queue'];

export interface HistogramMetric {
  readonly name: string;
  readonly buckets: readonly number[];
}

/**
 * Candidate histograms for each latency signal, the current name first. The provider asks the source which of
 * them the pods expose (inter-token latency was renamed in vLLM 0.11) instead of assuming one.
 */
export const LATENCY_HISTOGRAMS: Readonly<Record<LatencySignal, readonly HistogramMetric[]>> = {
  e2e: [{ name: VLLM_METRICS.e2eLatency, buckets: REQUEST_LATENCY_BUCKETS }],
  ttft: [{ name: VLLM_METRICS.ttft, buckets: TTFT_BUCKETS }],
  itl: [
    { name: VLLM_METRICS.interTokenLatency, buckets: INTER_TOKEN_BUCKETS },
    { name: VLLM_METRICS.timePerOutputToken, buckets: INTER_TOKEN_BUCKETS },
  ],
  queue: [{ name: VLLM_METRICS.queueTime, buckets: REQUEST_LATENCY_BUCKETS }],
};

/** KV-cache usage gauge candidates, the current name first (`gpu_cache_usage_perc` up to vLLM 0.10). */
export const KV_CACHE_USAGE_GAUGES: readonly string[] = [
  VLLM_METRICS.kvCacheUsage,
  VLLM_METRICS.gpuCacheUsage,
];

/** The metric names each generation exposes, for the emulator and for tests against the reference table. */
export function metricNamesFor(generation: VllmGeneration): readonly string[] {
  const common = [
    VLLM_METRICS.e2eLatency,
    VLLM_METRICS.ttft,
    VLLM_METRICS.queueTime,
    VLLM_METRICS.prefillTime,
    VLLM_METRICS.decodeTime,
    VLLM_METRICS.inferenceTime,
    VLLM_METRICS.requestSuccess,
    VLLM_METRICS.requestsRunning,
    VLLM_METRICS.requestsWaiting,
    VLLM_METRICS.preemptions,
    VLLM_METRICS.promptTokens,
    VLLM_METRICS.generationTokens,
    VLLM_METRICS.httpRequests,
    VLLM_METRICS.httpDuration,
  ];
  return generation === 'current'
    ? [...common, VLLM_METRICS.interTokenLatency, VLLM_METRICS.kvCacheUsage]
    : [...common, VLLM_METRICS.timePerOutputToken, VLLM_METRICS.gpuCacheUsage];
}
