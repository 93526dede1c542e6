// A metrics page of a vLLM pod that is healthy except for one broken family, served at /pods/<name>/metrics for
// real Prometheus to scrape: a gauge that reads NaN or +Inf, a counter that reads NaN, or a histogram without its
// +Inf bucket (the text format allows it; Prometheus stores it as it comes). Counters grow with the clock, so
// increase() over any window sees traffic.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  INTER_TOKEN_BUCKETS,
  REQUEST_LATENCY_BUCKETS,
  TTFT_BUCKETS,
} from '../../metrics-provider/catalog/index.js';
import { MODEL } from './vllm-history.js';

export type PageFault = 'none' | 'nan-kv-cache' | 'inf-queue' | 'nan-requests' | 'histogram-without-inf';

export interface ExportedPod {
  readonly name: string;
  readonly fault: PageFault;
}

export interface FaultyExporter {
  readonly url: string;
  /** The scrape URL of one pod. */
  podUrl(name: string): string;
  close(): Promise<void>;
}

/** Requests per second each pod finishes. */
const RATE = 20;

function histogramLines(
  name: string,
  buckets: readonly number[],
  median: number,
  count: number,
  fault: PageFault,
): string[] {
  const labels = `model_name="${MODEL}",engine="0"`;
  const lines = [`# TYPE ${name} histogram`];
  for (const le of buckets) {
    // A crude spread around the median: enough for quantiles to land inside the buckets.
    const share = le < median / 3 ? 0 : le < median ? 0.3 : le < median * 3 ? 0.9 : 1;
    lines.push(`${name}_bucket{${labels},le="${le}"} ${Math.round(count * share)}`);
  }
  if (!(fault === 'histogram-without-inf' && name === 'vllm:e2e_request_latency_seconds')) {
    lines.push(`${name}_bucket{${labels},le="+Inf"} ${count}`);
  }
  lines.push(`${name}_sum{${labels}} ${count * median}`, `${name}_count{${labels}} ${count}`);
  return lines;
}

/** The page of one pod at `seconds` after the exporter started. */
export function podPage(fault: PageFault, seconds: number): string {
  const count = Math.round(RATE * seconds);
  const labels = `model_name="${MODEL}",engine="0"`;
  const requests = fault === 'nan-requests' ? 'NaN' : String(count);
  return [
    ...histogramLines('vllm:e2e_request_latency_seconds', REQUEST_LATENCY_BUCKETS, 1.2, count, fault),
    ...histogramLines('vllm:time_to_first_token_seconds', TTFT_BUCKETS, 0.1, count, fault),
    ...histogramLines('vllm:inter_token_latency_seconds', INTER_TOKEN_BUCKETS, 0.025, count * 60, fault),
    ...histogramLines('vllm:request_queue_time_seconds', REQUEST_LATENCY_BUCKETS, 0.01, count, fault),
    '# TYPE vllm:request_success_total counter',
    `vllm:request_success_total{${labels},finished_reason="stop"} ${requests}`,
    '# TYPE vllm:num_preemptions_total counter',
    `vllm:num_preemptions_total{${labels}} 0`,
    '# TYPE http_requests_total counter',
    `http_requests_total{handler="/v1/chat/completions",method="POST",status="2xx"} ${count}`,
    '# TYPE vllm:kv_cache_usage_perc gauge',
    `vllm:kv_cache_usage_perc{${labels}} ${fault === 'nan-kv-cache' ? 'NaN' : '0.4'}`,
    '# TYPE vllm:num_requests_waiting gauge',
    `vllm:num_requests_waiting{${labels}} ${fault === 'inf-queue' ? '+Inf' : '1'}`,
    '# TYPE vllm:num_requests_running gauge',
    `vllm:num_requests_running{${labels}} 8`,
    '',
  ].join('\n');
}

export async function startFaultyExporter(pods: readonly ExportedPod[]): Promise<FaultyExporter> {
  const started = performance.now();
  const byName = new Map(pods.map((p) => [p.name, p]));
  const server: Server = createServer((req, res) => {
    const match = /^\/pods\/([^/]+)\/metrics$/.exec(req.url ?? '');
    const pod = match === null ? undefined : byName.get(match[1]!);
    if (pod === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(podPage(pod.fault, (performance.now() - started) / 1000));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    podUrl: (name) => `${url}/pods/${name}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
