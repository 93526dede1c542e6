// vLLM-style exposition pages built from literal figures, for the scrape source's tests.

export interface PodFigures {
  /** Cumulative counts of vllm:e2e_request_latency_seconds for le = 0.5, 1, +Inf. */
  readonly e2e?: readonly [number, number, number];
  /** vllm:request_success_total per finished_reason. */
  readonly success?: Readonly<Record<string, number>>;
  /** http_requests_total per status class. */
  readonly http?: Readonly<Record<string, number>>;
  /** vllm:kv_cache_usage_perc (current name) or vllm:gpu_cache_usage_perc (legacy). */
  readonly kv?: number;
  readonly legacyKv?: boolean;
}

export const E2E_BOUNDS = ['0.5', '1', '+Inf'] as const;

export function vllmPage(model: string, f: PodFigures): string {
  const lines: string[] = [];
  const m = `model_name="${model}",engine="0"`;
  if (f.e2e !== undefined) {
    lines.push('# HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.');
    lines.push('# TYPE vllm:e2e_request_latency_seconds histogram');
    f.e2e.forEach((count, i) => {
      lines.push(`vllm:e2e_request_latency_seconds_bucket{le="${E2E_BOUNDS[i]}",${m}} ${count}`);
    });
    lines.push(`vllm:e2e_request_latency_seconds_sum{${m}} ${f.e2e[2] * 0.7}`);
    lines.push(`vllm:e2e_request_latency_seconds_count{${m}} ${f.e2e[2]}`);
  }
  if (f.success !== undefined) {
    lines.push('# TYPE vllm:request_success_total counter');
    for (const [reason, n] of Object.entries(f.success)) {
      lines.push(`vllm:request_success_total{finished_reason="${reason}",${m}} ${n}`);
    }
  }
  if (f.http !== undefined) {
    lines.push('# TYPE http_requests_total counter');
    for (const [status, n] of Object.entries(f.http)) {
      lines.push(`http_requests_total{handler="/v1/completions",method="POST",status="${status}"} ${n}`);
    }
  }
  if (f.kv !== undefined) {
    const name = f.legacyKv ? 'vllm:gpu_cache_usage_perc' : 'vllm:kv_cache_usage_perc';
    lines.push(`# TYPE ${name} gauge`, `${name}{${m}} ${f.kv}`);
  }
  return `${lines.join('\n')}\n`;
}
