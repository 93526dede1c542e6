// vLLM's Prometheus metrics, with the names, types, labels and buckets of the project's catalog, in a registry the
// caller owns (never prom-client's global one, so several emulators can run in one process).
// prom-client writes a counter's name as given in the text format, so counters are declared with their `_total` name.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import {
  INTER_TOKEN_BUCKETS,
  REQUEST_LATENCY_BUCKETS,
  TTFT_BUCKETS,
  VLLM_METRICS,
  type VllmGeneration,
} from '../metrics-provider/catalog/index.js';
import type { FinishedReason } from './latency.js';

/**
 * prometheus-fastapi-instrumentator's default buckets for http_request_duration_seconds (its "lowr" set).
 * The catalog has no entry for them; they are the instrumentator's, not vLLM's.
 */
export const HTTP_DURATION_BUCKETS: readonly number[] = [0.1, 0.5, 1];

/** What one finished (not failed) request contributes to the vLLM histograms and counters, in virtual seconds. */
export interface FinishedRequest {
  readonly finishedReason: FinishedReason;
  readonly queueSeconds: number;
  readonly ttftSeconds: number;
  readonly prefillSeconds: number;
  readonly decodeSeconds: number;
  readonly e2eSeconds: number;
  readonly interTokenSeconds: readonly number[];
  readonly promptTokens: number;
  readonly generationTokens: number;
}

type EngineLabels = 'model_name' | 'engine';

export class EmulatorMetrics {
  private readonly labels: Record<EngineLabels, string>;
  private readonly e2e: Histogram<EngineLabels>;
  private readonly ttft: Histogram<EngineLabels>;
  private readonly interToken: Histogram<EngineLabels>;
  private readonly queue: Histogram<EngineLabels>;
  private readonly prefill: Histogram<EngineLabels>;
  private readonly decode: Histogram<EngineLabels>;
  private readonly inference: Histogram<EngineLabels>;
  private readonly success: Counter<EngineLabels | 'finished_reason'>;
  private readonly running: Gauge<EngineLabels>;
  private readonly waiting: Gauge<EngineLabels>;
  private readonly kvCache: Gauge<EngineLabels>;
  private readonly preemptions: Counter<EngineLabels>;
  private readonly promptTokens: Counter<EngineLabels>;
  private readonly generationTokens: Counter<EngineLabels>;
  private readonly httpRequests: Counter<'handler' | 'method' | 'status'>;
  private readonly httpDuration: Histogram<'handler' | 'method'>;

  constructor(registry: Registry, model: string, generation: VllmGeneration) {
    this.labels = { model_name: model, engine: '0' };
    const labelNames: EngineLabels[] = ['model_name', 'engine'];
    const registers = [registry];
    const histogram = (name: string, help: string, buckets: readonly number[]): Histogram<EngineLabels> => {
      const metric = new Histogram({ name, help, labelNames, buckets: [...buckets], registers });
      // vLLM creates its labelled series at start, so every histogram shows zero buckets before any traffic.
      metric.zero(this.labels);
      return metric;
    };
    const gauge = (name: string, help: string): Gauge<EngineLabels> => {
      const metric = new Gauge({ name, help, labelNames, registers });
      metric.set(this.labels, 0);
      return metric;
    };
    const counter = (name: string, help: string): Counter<EngineLabels> => {
      const metric = new Counter({ name, help, labelNames, registers });
      metric.inc(this.labels, 0);
      return metric;
    };

    const legacy = generation === 'legacy';
    this.e2e = histogram(
      VLLM_METRICS.e2eLatency,
      'Histogram of e2e request latency in seconds.',
      REQUEST_LATENCY_BUCKETS,
    );
    this.ttft = histogram(VLLM_METRICS.ttft, 'Histogram of time to first token in seconds.', TTFT_BUCKETS);
    this.interToken = legacy
      ? histogram(
          VLLM_METRICS.timePerOutputToken,
          'Histogram of time per output token in seconds.',
          INTER_TOKEN_BUCKETS,
        )
      : histogram(
          VLLM_METRICS.interTokenLatency,
          'Histogram of inter-token latency in seconds.',
          INTER_TOKEN_BUCKETS,
        );
    this.queue = histogram(
      VLLM_METRICS.queueTime,
      'Histogram of time spent in WAITING phase for request.',
      REQUEST_LATENCY_BUCKETS,
    );
    this.prefill = histogram(
      VLLM_METRICS.prefillTime,
      'Histogram of time spent in PREFILL phase for request.',
      REQUEST_LATENCY_BUCKETS,
    );
    this.decode = histogram(
      VLLM_METRICS.decodeTime,
      'Histogram of time spent in DECODE phase for request.',
      REQUEST_LATENCY_BUCKETS,
    );
    this.inference = histogram(
      VLLM_METRICS.inferenceTime,
      'Histogram of time spent in RUNNING phase for request.',
      REQUEST_LATENCY_BUCKETS,
    );

    this.success = new Counter({
      name: VLLM_METRICS.requestSuccess,
      help: 'Count of successfully processed requests.',
      labelNames: ['model_name', 'engine', 'finished_reason'],
      registers,
    });
    for (const reason of ['stop', 'length', 'abort'] satisfies FinishedReason[]) {
      this.success.inc({ ...this.labels, finished_reason: reason }, 0);
    }
    this.running = gauge(VLLM_METRICS.requestsRunning, 'Number of requests in model execution batches.');
    this.waiting = gauge(VLLM_METRICS.requestsWaiting, 'Number of requests waiting to be processed.');
    this.kvCache = legacy
      ? gauge(VLLM_METRICS.gpuCacheUsage, 'GPU KV-cache usage. 1 means 100 percent usage.')
      : gauge(VLLM_METRICS.kvCacheUsage, 'KV-cache usage. 1 means 100 percent usage.');
    this.preemptions = counter(VLLM_METRICS.preemptions, 'Cumulative number of preemption from the engine.');
    this.promptTokens = counter(VLLM_METRICS.promptTokens, 'Number of prefill tokens processed.');
    this.generationTokens = counter(VLLM_METRICS.generationTokens, 'Number of generation tokens processed.');

    // The instrumentator's HTTP metrics carry no model_name; series appear with the first request, as in vLLM.
    this.httpRequests = new Counter({
      name: VLLM_METRICS.httpRequests,
      help: 'Total number of requests by method, status and handler.',
      labelNames: ['handler', 'method', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: VLLM_METRICS.httpDuration,
      help: 'Latency with only few buckets by handler. Made to be only used if aggregation by handler is important.',
      labelNames: ['handler', 'method'],
      buckets: [...HTTP_DURATION_BUCKETS],
      registers,
    });
  }

  /** Mirrors the scheduler and KV-cache state into the gauges. */
  setLoad(running: number, waiting: number, kvUsage: number): void {
    this.running.set(this.labels, running);
    this.waiting.set(this.labels, waiting);
    this.kvCache.set(this.labels, kvUsage);
  }

  preempted(): void {
    this.preemptions.inc(this.labels);
  }

  finished(request: FinishedRequest): void {
    this.success.inc({ ...this.labels, finished_reason: request.finishedReason });
    this.e2e.observe(this.labels, request.e2eSeconds);
    this.ttft.observe(this.labels, request.ttftSeconds);
    this.queue.observe(this.labels, request.queueSeconds);
    this.prefill.observe(this.labels, request.prefillSeconds);
    this.decode.observe(this.labels, request.decodeSeconds);
    this.inference.observe(this.labels, request.prefillSeconds + request.decodeSeconds);
    for (const gap of request.interTokenSeconds) this.interToken.observe(this.labels, gap);
    this.promptTokens.inc(this.labels, request.promptTokens);
    this.generationTokens.inc(this.labels, request.generationTokens);
  }

  /** A request cut off by its client (or by shutdown): counted as an abort, without latency observations. */
  aborted(promptTokens: number, generationTokens: number): void {
    this.success.inc({ ...this.labels, finished_reason: 'abort' });
    this.promptTokens.inc(this.labels, promptTokens);
    this.generationTokens.inc(this.labels, generationTokens);
  }

  /** One answered HTTP request; `status` is grouped (500 -> "5xx") as the instrumentator does. */
  httpRequest(handler: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ handler, method, status: `${Math.floor(status / 100)}xx` });
    this.httpDuration.observe({ handler, method }, seconds);
  }
}
