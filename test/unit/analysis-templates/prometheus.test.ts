// The Prometheus-provider variants: vLLM's real metric names, the PodMonitor's labels, empty-result guards that make
// "no data" inconclusive, and the canary-vs-stable comparison in PromQL.
import { describe, expect, it } from 'vitest';
import { renderTemplates, type PrometheusProviderSpec } from '../../../analysis-templates/index.js';

const prom = renderTemplates().filter((t) => t.metadata.name.startsWith('vllm-prom-'));
const metrics = prom.flatMap((t) => t.spec.metrics);
const query = (name: string) =>
  (metrics.find((m) => m.name === name)!.provider as { prometheus: PrometheusProviderSpec }).prometheus.query;

describe('Prometheus-provider templates', () => {
  it('when rendered then latency, error ratio and KV cache have a variant', () => {
    expect(prom.map((t) => t.metadata.name)).toEqual([
      'vllm-prom-latency',
      'vllm-prom-error-ratio',
      'vllm-prom-kv-cache',
    ]);
  });

  it('when the latency query is read then it is the ratio of canary to stable quantiles of vLLM e2e buckets', () => {
    const q = query('prom-latency-ratio');
    expect(q).toContain('vllm:e2e_request_latency_seconds_bucket');
    expect(q).not.toContain('vllm:request_latency_seconds');
    expect(q).toMatch(
      /rollouts_pod_template_hash="\{\{args\.canary-hash\}\}"[\s\S]*\n\s*\/\n[\s\S]*rollouts_pod_template_hash="\{\{args\.stable-hash\}\}"/,
    );
    expect(q).toContain('model_name="{{args.model}}"');
    expect(q).toContain('namespace="{{args.namespace}}"');
  });

  it('when the error queries are read then they use http_requests_total 5xx without a model label', () => {
    for (const name of ['prom-error-ratio', 'prom-error-ratio-increase']) {
      const q = query(name);
      expect(q).toContain('http_requests_total{namespace="{{args.namespace}}", rollouts_pod_template_hash=');
      expect(q).toContain('status="5xx"');
      expect(q).toContain('or vector(0)');
    }
    expect(query('prom-error-ratio-increase')).toContain('{{args.stable-hash}}');
  });

  it('when the KV-cache query is read then it takes the current name or else the legacy one', () => {
    expect(query('prom-kv-cache')).toMatch(
      /vllm:kv_cache_usage_perc[\s\S]*\n\s*or\n[\s\S]*vllm:gpu_cache_usage_perc/,
    );
  });

  it('when any query is read then it is empty (inconclusive) unless the canary served min-requests', () => {
    for (const m of metrics)
      expect(query(m.name)).toContain('and on()\nsum(increase(vllm:e2e_request_latency_seconds_count{');
  });

  it('when the conditions are read then an empty or NaN result matches neither, and default() is not used', () => {
    for (const m of metrics) {
      expect(m.successCondition).toMatch(
        /^len\(result\) > 0 && !isNaN\(result\[0\]\) && result\[0\] <= \{\{args\.[a-z-]+\}\}$/,
      );
      expect(m.failureCondition).toMatch(
        /^len\(result\) > 0 && !isNaN\(result\[0\]\) && result\[0\] > \{\{args\.[a-z-]+\}\}$/,
      );
      expect(m.successCondition).not.toContain('default(');
    }
  });

  it('when the provider block is read then Prometheus is addressed through the prometheus-url arg', () => {
    for (const m of metrics)
      expect((m.provider as { prometheus: PrometheusProviderSpec }).prometheus.address).toBe(
        '{{args.prometheus-url}}',
      );
  });
});
