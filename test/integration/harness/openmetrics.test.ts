// The text the harness generates: OpenMetrics for promtool and the scrape configuration. No Docker needed.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scrapeConfig, syntheticHistory, uniform, writeOpenMetrics } from '../../harness/index.js';

describe('writeOpenMetrics', () => {
  it('when given a counter, a gauge and a histogram then it writes each family once, ending with # EOF', () => {
    const text = writeOpenMetrics([
      {
        type: 'counter',
        name: 'http_requests_total',
        points: [{ labels: { status: '5xx' }, timestamp: 100, value: 2 }],
      },
      {
        type: 'gauge',
        name: 'vllm:kv_cache_usage_perc',
        points: [{ labels: {}, timestamp: 100, value: 0.5 }],
      },
      {
        type: 'histogram',
        name: 'vllm:e2e_request_latency_seconds',
        points: [
          {
            labels: { pod: 'a' },
            timestamp: 100,
            count: 3,
            sum: 2.5,
            buckets: [
              [1, 2],
              [0.5, 1],
            ],
          },
        ],
      },
    ]);
    expect(text).toBe(
      [
        '# TYPE http_requests counter',
        'http_requests_total{status="5xx"} 2 100',
        '# TYPE vllm:kv_cache_usage_perc gauge',
        'vllm:kv_cache_usage_perc 0.5 100',
        '# TYPE vllm:e2e_request_latency_seconds histogram',
        'vllm:e2e_request_latency_seconds_bucket{pod="a",le="0.5"} 1 100',
        'vllm:e2e_request_latency_seconds_bucket{pod="a",le="1"} 2 100',
        'vllm:e2e_request_latency_seconds_bucket{pod="a",le="+Inf"} 3 100',
        'vllm:e2e_request_latency_seconds_count{pod="a"} 3 100',
        'vllm:e2e_request_latency_seconds_sum{pod="a"} 2.5 100',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('when leStyle is python then integer bounds are written as vLLM writes them', () => {
    const text = writeOpenMetrics(
      [
        {
          type: 'histogram',
          name: 'h',
          points: [{ labels: {}, timestamp: 1, count: 1, sum: 1, buckets: [[1, 1]] }],
        },
      ],
      { leStyle: 'python' },
    );
    expect(text).toContain('h_bucket{le="1.0"} 1 1');
  });

  it('when a label value has quotes, backslashes and newlines then they are escaped', () => {
    const text = writeOpenMetrics([
      { type: 'gauge', name: 'g', points: [{ labels: { v: 'a"b\\c\nd' }, timestamp: 1, value: 1 }] },
    ]);
    expect(text).toContain('g{v="a\\"b\\\\c\\nd"} 1 1');
  });

  it.each([
    ['an invalid metric name', [{ type: 'gauge', name: '1x', points: [] }], 'invalid metric name "1x"'],
    [
      'two samples of one series at one time',
      [
        {
          type: 'gauge',
          name: 'g',
          points: [
            { labels: {}, timestamp: 1, value: 1 },
            { labels: {}, timestamp: 1, value: 2 },
          ],
        },
      ],
      'g: two samples at timestamp 1',
    ],
    [
      'decreasing buckets',
      [
        {
          type: 'histogram',
          name: 'h',
          points: [
            {
              labels: {},
              timestamp: 1,
              count: 3,
              sum: 1,
              buckets: [
                [1, 2],
                [2, 1],
              ],
            },
          ],
        },
      ],
      'h at 1: bucket counts must not decrease (le=2)',
    ],
    [
      'a +Inf bucket that differs from count',
      [
        {
          type: 'histogram',
          name: 'h',
          points: [{ labels: {}, timestamp: 1, count: 3, sum: 1, buckets: [[Infinity, 2]] }],
        },
      ],
      'h at 1: the +Inf bucket (2) must equal count (3)',
    ],
  ] as const)('when given %s then it throws', (_, families, message) => {
    expect(() => writeOpenMetrics(families)).toThrow(message);
  });
});

describe('syntheticHistory', () => {
  it('when asked for an hour at 15 s steps then each series has 241 points with shares from the CDF', () => {
    const [family] = syntheticHistory({
      end: 10_000,
      histograms: [
        { name: 'h', buckets: [1, 2], series: [{ labels: {}, perSecond: 10, distribution: uniform(0, 4) }] },
      ],
    });
    expect(family?.points).toHaveLength(241);
    expect(family?.points.at(-1)).toEqual({
      labels: {},
      timestamp: 10_000,
      count: 36_000,
      sum: 72_000,
      buckets: [
        [1, 9_000],
        [2, 18_000],
      ],
    });
  });
});

describe('scrapeConfig', () => {
  it('when targets have labels, paths and query parameters then each becomes its own static group', () => {
    const config = parse(
      scrapeConfig(
        [
          { url: 'http://127.0.0.1:8000/metrics', labels: { pod: 'canary-0' } },
          { url: 'https://127.0.0.1:8001/x/metrics?format=text' },
        ],
        '1s',
      ),
    );
    expect(config.global).toEqual({ scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' });
    expect(config.scrape_configs[0].static_configs).toEqual([
      {
        targets: ['127.0.0.1:8000'],
        labels: { pod: 'canary-0', __scheme__: 'http', __metrics_path__: '/metrics' },
      },
      {
        targets: ['127.0.0.1:8001'],
        labels: { __param_format: 'text', __scheme__: 'https', __metrics_path__: '/x/metrics' },
      },
    ]);
  });

  it('when a target is not http then it throws', () => {
    expect(() => scrapeConfig([{ url: 'ftp://127.0.0.1/metrics' }], '1s')).toThrow('only http and https');
  });
});
