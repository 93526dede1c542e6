import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/index.js';
import { postJson } from './http-client.js';
import { scrape, type Exposition } from './exposition.js';

// Written out from the reference table of vLLM's metrics, on purpose not imported from the catalog.
const COMMON_FAMILIES: Record<string, string> = {
  'vllm:e2e_request_latency_seconds': 'histogram',
  'vllm:time_to_first_token_seconds': 'histogram',
  'vllm:request_queue_time_seconds': 'histogram',
  'vllm:request_prefill_time_seconds': 'histogram',
  'vllm:request_decode_time_seconds': 'histogram',
  'vllm:request_inference_time_seconds': 'histogram',
  'vllm:request_success_total': 'counter',
  'vllm:num_requests_running': 'gauge',
  'vllm:num_requests_waiting': 'gauge',
  'vllm:num_preemptions_total': 'counter',
  'vllm:prompt_tokens_total': 'counter',
  'vllm:generation_tokens_total': 'counter',
  http_requests_total: 'counter',
  http_request_duration_seconds: 'histogram',
};
const FAMILIES: Record<'current' | 'legacy', Record<string, string>> = {
  current: {
    ...COMMON_FAMILIES,
    'vllm:inter_token_latency_seconds': 'histogram',
    'vllm:kv_cache_usage_perc': 'gauge',
  },
  legacy: {
    ...COMMON_FAMILIES,
    'vllm:time_per_output_token_seconds': 'histogram',
    'vllm:gpu_cache_usage_perc': 'gauge',
  },
};

const REQUEST_LATENCY_LE = [
  '0.3',
  '0.5',
  '0.8',
  '1',
  '1.5',
  '2',
  '2.5',
  '5',
  '10',
  '15',
  '20',
  '30',
  '40',
  '50',
  '60',
  '120',
  '240',
  '480',
  '960',
  '1920',
  '7680',
  '+Inf',
];
const TTFT_LE = [
  '0.001',
  '0.005',
  '0.01',
  '0.02',
  '0.04',
  '0.06',
  '0.08',
  '0.1',
  '0.25',
  '0.5',
  '0.75',
  '1',
  '2.5',
  '5',
  '7.5',
  '10',
  '20',
  '40',
  '80',
  '160',
  '640',
  '2560',
  '+Inf',
];
const INTER_TOKEN_LE = [
  '0.01',
  '0.025',
  '0.05',
  '0.075',
  '0.1',
  '0.15',
  '0.2',
  '0.3',
  '0.4',
  '0.5',
  '0.75',
  '1',
  '2.5',
  '5',
  '7.5',
  '10',
  '20',
  '40',
  '80',
  '+Inf',
];
// prometheus-fastapi-instrumentator's defaults for http_request_duration_seconds.
const HTTP_DURATION_LE = ['0.1', '0.5', '1', '+Inf'];

const BUCKETS: Record<'current' | 'legacy', Record<string, string[]>> = {
  current: {
    'vllm:e2e_request_latency_seconds': REQUEST_LATENCY_LE,
    'vllm:request_queue_time_seconds': REQUEST_LATENCY_LE,
    'vllm:request_prefill_time_seconds': REQUEST_LATENCY_LE,
    'vllm:request_decode_time_seconds': REQUEST_LATENCY_LE,
    'vllm:request_inference_time_seconds': REQUEST_LATENCY_LE,
    'vllm:time_to_first_token_seconds': TTFT_LE,
    'vllm:inter_token_latency_seconds': INTER_TOKEN_LE,
    http_request_duration_seconds: HTTP_DURATION_LE,
  },
  legacy: {
    'vllm:e2e_request_latency_seconds': REQUEST_LATENCY_LE,
    'vllm:request_queue_time_seconds': REQUEST_LATENCY_LE,
    'vllm:request_prefill_time_seconds': REQUEST_LATENCY_LE,
    'vllm:request_decode_time_seconds': REQUEST_LATENCY_LE,
    'vllm:request_inference_time_seconds': REQUEST_LATENCY_LE,
    'vllm:time_to_first_token_seconds': TTFT_LE,
    'vllm:time_per_output_token_seconds': INTER_TOKEN_LE,
    http_request_duration_seconds: HTTP_DURATION_LE,
  },
};

/** The only promtool lint finding a real vLLM exposition also produces: vLLM's names use the `vllm:` prefix. */
const ACCEPTED_LINT = /^vllm:[a-z0-9_]+ metric names should not contain ':'$/;

function promtoolCheck(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `promtool could not be run (${result.error.message}); install it (Debian/Ubuntu: apt-get install prometheus) — this test does not skip`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function leOf(exposition: Exposition, family: string): string[] {
  return exposition.samples
    .filter((sample) => sample.name === `${family}_bucket` && sample.labels.model_name !== undefined)
    .map((sample) => sample.labels.le ?? '')
    .concat(
      exposition.samples
        .filter((sample) => sample.name === `${family}_bucket` && sample.labels.handler === '/v1/completions')
        .map((sample) => sample.labels.le ?? ''),
    );
}

describe.each(['current', 'legacy'] as const)(
  'the /metrics exposition of the %s generation',
  (generation) => {
    let emulator: RunningEmulator;
    let text: string;
    let exposition: Exposition;

    beforeAll(async () => {
      emulator = await startEmulator({ model: 'exposition-model', generation, timeScale: 500, seed: 2 });
      const url = `${emulator.url}/v1/completions`;
      for (let index = 0; index < 5; index += 1) {
        await postJson(url, { model: 'exposition-model', prompt: `hello ${index}`, max_tokens: 4 });
      }
      await postJson(url, { model: 'another-model', prompt: 'hello' }); // 404 -> 4xx
      emulator.setProfile({ errorRate: 1 });
      await postJson(url, { model: 'exposition-model', prompt: 'hello' }); // 500 -> 5xx
      emulator.setProfile({ errorRate: 0 });
      await fetch(`${emulator.url}/health`);
      ({ text, exposition } = await scrape(emulator.url));
    });
    afterAll(async () => {
      await emulator?.close();
    });

    it('when promtool checks the scrape then it parses, and its only lint is the colon that vLLM names carry', () => {
      const { status, output } = promtoolCheck(text);
      const findings = output.split('\n').filter((line) => line.trim() !== '');
      expect(findings.filter((line) => !ACCEPTED_LINT.test(line))).toEqual([]);
      expect(status === 0 || status === 3).toBe(true);
    });

    it('when the families are listed then they are exactly the reference names with their types', () => {
      expect(Object.fromEntries([...exposition.types].sort(([a], [b]) => a.localeCompare(b)))).toEqual(
        Object.fromEntries(Object.entries(FAMILIES[generation]).sort(([a], [b]) => a.localeCompare(b))),
      );
    });

    it('when the histograms are read then their bucket bounds are exactly the reference ones', () => {
      for (const [family, bounds] of Object.entries(BUCKETS[generation])) {
        expect({ family, le: leOf(exposition, family) }).toEqual({ family, le: bounds });
      }
    });

    it('when counters are exposed then every counter sample name ends in _total', () => {
      const counters = [...exposition.types].filter(([, type]) => type === 'counter').map(([name]) => name);
      expect(counters.length).toBeGreaterThan(0);
      for (const name of counters) expect(name).toMatch(/_total$/);
      const counterSamples = exposition.samples.filter((sample) => counters.includes(sample.name));
      expect(counterSamples.length).toBeGreaterThan(0);
    });

    it('when vLLM series are read then each carries model_name and engine="0"', () => {
      const vllm = exposition.samples.filter((sample) => sample.name.startsWith('vllm:'));
      expect(vllm.length).toBeGreaterThan(0);
      for (const sample of vllm)
        expect(sample.labels).toMatchObject({ model_name: 'exposition-model', engine: '0' });
    });

    it('when HTTP requests are read then status is grouped, model_name is absent, and /health and /metrics are not counted', () => {
      const http = exposition.samples.filter((sample) => sample.name === 'http_requests_total');
      expect(
        Object.fromEntries(
          http.map((sample) => [
            `${sample.labels.method} ${sample.labels.handler} ${sample.labels.status}`,
            sample.value,
          ]),
        ),
      ).toEqual({
        'POST /v1/completions 2xx': 5,
        'POST /v1/completions 4xx': 1,
        'POST /v1/completions 5xx': 1,
      });
      for (const sample of http)
        expect(Object.keys(sample.labels).sort()).toEqual(['handler', 'method', 'status']);
    });

    it('when finished requests are read then request_success counts stop/length/abort and never the 5xx', () => {
      const success = exposition.samples.filter((sample) => sample.name === 'vllm:request_success_total');
      expect(success.map((sample) => sample.labels.finished_reason).sort()).toEqual([
        'abort',
        'length',
        'stop',
      ]);
      expect(success.reduce((sum, sample) => sum + sample.value, 0)).toBe(5);
    });
  },
);
