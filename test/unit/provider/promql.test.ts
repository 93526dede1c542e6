import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRACK_LABELS,
  quoteLabelValue,
  renderQuery,
} from '../../../metrics-provider/sources/prometheus/index.js';
import {
  presenceParts,
  queryParts,
  renderTrackQuery,
} from '../../../metrics-provider/sources/prometheus/promql.js';
import type { TrackSelector } from '../../../metrics-provider/sources/metric-source.js';

const track: TrackSelector = {
  namespace: 'llm',
  model: 'meta-llama/Llama-3.1-8B',
  by: 'pod-template-hash',
  value: '6d4f8b9c7',
};

describe('PromQL rendering', () => {
  it.each([
    [
      'a histogram',
      {
        kind: 'histogram',
        metric: 'vllm:e2e_request_latency_seconds',
        track,
        windowSeconds: 300,
        hasModelLabel: true,
      },
      'sum by (le) (increase(vllm:e2e_request_latency_seconds_bucket{namespace="llm", rollouts_pod_template_hash="6d4f8b9c7", model_name="meta-llama/Llama-3.1-8B"}[300s]))',
    ],
    [
      'a grouped counter without model label',
      {
        kind: 'counter',
        metric: 'http_requests_total',
        track,
        windowSeconds: 60,
        hasModelLabel: false,
        groupBy: 'status',
      },
      'sum by (status) (increase(http_requests_total{namespace="llm", rollouts_pod_template_hash="6d4f8b9c7"}[60s]))',
    ],
    [
      'a filtered counter',
      {
        kind: 'counter',
        metric: 'vllm:request_success_total',
        track: { ...track, by: 'service', value: 'llm-canary' },
        windowSeconds: 60,
        hasModelLabel: true,
        match: { finished_reason: ['abort', 'error'] },
      },
      'sum (increase(vllm:request_success_total{namespace="llm", service="llm-canary", model_name="meta-llama/Llama-3.1-8B", finished_reason=~"abort|error"}[60s]))',
    ],
    [
      'a gauge maximum',
      {
        kind: 'gauge',
        metric: 'vllm:kv_cache_usage_perc',
        aggregate: 'max',
        track,
        windowSeconds: 120,
        hasModelLabel: true,
      },
      'max (max_over_time(vllm:kv_cache_usage_perc{namespace="llm", rollouts_pod_template_hash="6d4f8b9c7", model_name="meta-llama/Llama-3.1-8B"}[120s]))',
    ],
  ] as const)('when rendering %s then the query is exact', (_name, query, expected) => {
    expect(renderQuery(query, DEFAULT_TRACK_LABELS)).toBe(expected);
  });

  it.each([
    ['a plain value', 'abc', '"abc"'],
    ['a double quote', 'a"b', '"a\\"b"'],
    ['a backslash', 'a\\b', '"a\\\\b"'],
    ['a newline', 'a\nb', '"a\\nb"'],
    ['an injection attempt', '"} or vector(1) or {a="', '"\\"} or vector(1) or {a=\\""'],
  ])('when quoting %s then it stays inside one string literal', (_name, value, expected) => {
    expect(quoteLabelValue(value)).toBe(expected);
  });

  it('when a hostile value reaches the renderer anyway then it cannot leave its string literal', () => {
    const hostile = { ...track, value: 'x"}) or vector(1) #' };
    const promql = renderQuery(
      {
        kind: 'gauge',
        metric: 'vllm:num_requests_waiting',
        aggregate: 'avg',
        track: hostile,
        windowSeconds: 60,
        hasModelLabel: false,
      },
      DEFAULT_TRACK_LABELS,
    );
    expect(promql).toBe(
      'avg (avg_over_time(vllm:num_requests_waiting{namespace="llm", rollouts_pod_template_hash="x\\"}) or vector(1) #"}[60s]))',
    );
  });

  it.each([
    [
      'a malformed label name',
      { ...DEFAULT_TRACK_LABELS, namespace: 'name space' },
      'invalid Prometheus label name',
    ],
  ])('when the configuration has %s then rendering throws', (_name, labels, message) => {
    expect(() =>
      renderQuery({ kind: 'histogram', metric: 'm', track, windowSeconds: 60, hasModelLabel: false }, labels),
    ).toThrow(message);
  });

  it('when the window is not a whole number of seconds then rendering throws', () => {
    expect(() =>
      renderQuery(
        { kind: 'histogram', metric: 'm', track, windowSeconds: 1.5, hasModelLabel: false },
        DEFAULT_TRACK_LABELS,
      ),
    ).toThrow('invalid window');
  });

  describe('one query for both tracks', () => {
    const stable: TrackSelector = { ...track, value: '5c8d7f6b4' };
    const latency = (t: TrackSelector, metric = 'vllm:e2e_request_latency_seconds') =>
      queryParts(
        { kind: 'histogram', metric, track: t, windowSeconds: 300, hasModelLabel: true },
        DEFAULT_TRACK_LABELS,
      );

    it('when a histogram is asked for canary and stable then one query keeps le and the track label', () => {
      expect(renderTrackQuery([latency(track), latency(stable)])).toBe(
        'sum by (le, rollouts_pod_template_hash) (' +
          'increase(vllm:e2e_request_latency_seconds_bucket{namespace="llm", rollouts_pod_template_hash="6d4f8b9c7", model_name="meta-llama/Llama-3.1-8B"}[300s])' +
          ' or ' +
          'increase(vllm:e2e_request_latency_seconds_bucket{namespace="llm", rollouts_pod_template_hash="5c8d7f6b4", model_name="meta-llama/Llama-3.1-8B"}[300s]))',
      );
    });

    it('when the tracks expose different metric names and models then each side keeps its own selector', () => {
      const peakUsage = (metric: string, t: TrackSelector) =>
        queryParts(
          { kind: 'gauge', aggregate: 'max', metric, track: t, windowSeconds: 60, hasModelLabel: true },
          DEFAULT_TRACK_LABELS,
        );
      const canary = peakUsage('vllm:kv_cache_usage_perc', { ...track, model: 'new-model' });
      const old = peakUsage('vllm:gpu_cache_usage_perc', stable);
      expect(renderTrackQuery([canary, old])).toBe(
        'max by (rollouts_pod_template_hash) (' +
          'max_over_time(vllm:kv_cache_usage_perc{namespace="llm", rollouts_pod_template_hash="6d4f8b9c7", model_name="new-model"}[60s])' +
          ' or ' +
          'max_over_time(vllm:gpu_cache_usage_perc{namespace="llm", rollouts_pod_template_hash="5c8d7f6b4", model_name="meta-llama/Llama-3.1-8B"}[60s]))',
      );
    });

    it('when presence is asked for tracks told apart by service then the service label is kept', () => {
      const byService = (value: string) =>
        presenceParts(['vllm:a', 'vllm:b'], { ...track, by: 'service', value }, DEFAULT_TRACK_LABELS);
      expect(renderTrackQuery([byService('llm-canary'), byService('llm-stable')])).toBe(
        'group by (__name__, service) ({__name__=~"vllm:a|vllm:b", namespace="llm", service="llm-canary"}' +
          ' or {__name__=~"vllm:a|vllm:b", namespace="llm", service="llm-stable"})',
      );
    });

    it('when the queries differ in shape or repeat a track then rendering refuses them', () => {
      const counter = queryParts(
        {
          kind: 'counter',
          metric: 'http_requests_total',
          track: stable,
          windowSeconds: 300,
          hasModelLabel: false,
        },
        DEFAULT_TRACK_LABELS,
      );
      expect(() => renderTrackQuery([latency(track), counter])).toThrow('different shapes');
      expect(() => renderTrackQuery([latency(track), latency(track, 'vllm:x')])).toThrow('same track');
      expect(() => renderTrackQuery([])).toThrow('no queries');
    });
  });
});
