// The runner over real HTTP on 127.0.0.1 against a scripted provider that follows docs/api.md: what Argo would
// send, and the phase it would reach for pass, fail, inconclusive, error answers, a slow provider and a non-JSON body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  instantClock,
  libraryTemplate,
  runAnalysis,
  startAnalysis,
  type AnalysisEvent,
  type AnalysisTemplate,
} from '../../../analysis-runner/index.js';
import { startScriptedProvider, type Answer, type ScriptedProvider } from './scripted-provider.js';

let provider: ScriptedProvider;
beforeAll(async () => {
  provider = await startScriptedProvider();
});
afterAll(async () => {
  await provider?.close();
});

const LIBRARY_ARGS = {
  namespace: 'llm',
  model: 'llama-3-8b',
  'canary-hash': '6d4f8b9c7',
  'stable-hash': '5c7d9f8b6',
};

function latencyTemplate(fields: Record<string, unknown> = {}): AnalysisTemplate {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'latency' },
    spec: {
      args: [{ name: 'provider-url' }, { name: 'model', value: 'llama-3-8b' }],
      metrics: [
        {
          name: 'latency',
          interval: '1m',
          count: 3,
          failureLimit: 1,
          inconclusiveLimit: 1,
          successCondition: 'result == "pass"',
          failureCondition: 'result == "fail"',
          provider: {
            web: {
              url: '{{args.provider-url}}/api/v1/checks/latency?model={{args.model}}&canary=abc',
              timeoutSeconds: 1,
              jsonPath: '{$.verdict}',
            },
          },
          ...fields,
        },
      ],
    },
  };
}

async function run(answers: readonly Answer[], fields: Record<string, unknown> = {}) {
  provider.script(answers);
  const events: AnalysisEvent[] = [];
  const result = await runAnalysis({
    templates: [latencyTemplate(fields)],
    args: { 'provider-url': provider.url },
    clock: instantClock(),
    onEvent: (e) => events.push(e),
  });
  const phases = result.metrics[0]?.measurements.map((m) => m.phase) ?? [];
  return { result, events, phases };
}

describe('runner against a scripted provider over HTTP', () => {
  it.each([
    ['pass, pass, pass', ['pass'], 'Successful', ['Successful', 'Successful', 'Successful']],
    ['pass, fail, fail (failureLimit 1)', ['pass', 'fail'], 'Failed', ['Successful', 'Failed', 'Failed']],
    [
      'fail, pass, pass (one failure tolerated)',
      ['fail', 'pass'],
      'Successful',
      ['Failed', 'Successful', 'Successful'],
    ],
    [
      'inconclusive twice (inconclusiveLimit 1)',
      ['inconclusive'],
      'Inconclusive',
      ['Inconclusive', 'Inconclusive'],
    ],
    ['502 five times in a row', ['error-502'], 'Error', ['Error', 'Error', 'Error', 'Error', 'Error']],
    [
      '500 twice, then passes (errors retried, count not consumed)',
      ['error-500', 'error-500', 'pass'],
      'Successful',
      ['Error', 'Error', 'Successful', 'Successful', 'Successful'],
    ],
  ] as const)('when the provider answers %s then the run is %s', async (_name, answers, phase, phases) => {
    const { result, phases: taken } = await run(answers);
    expect(taken).toEqual(phases);
    expect(result.phase).toBe(phase);
  });

  it('when the answer is a verdict then the measurement keeps the value and the provider’s reason', async () => {
    const { result } = await run(['fail', 'pass']);
    expect(result.metrics[0]?.measurements[0]).toMatchObject({
      phase: 'Failed',
      value: '"fail"',
      reason: '#1 p95 e2e latency: canary 1.42s vs stable 1.01s, ratio 1.41 beyond 1.2',
    });
  });

  it('when the provider answers a JSON error then Error with Argo’s message and the provider’s message', async () => {
    const { result } = await run(['error-502']);
    expect(result.metrics[0]?.measurements[0]).toMatchObject({
      phase: 'Error',
      message: 'received non 2xx response code: 502',
      reason: 'Prometheus did not answer',
    });
    expect(result.message).toBe(
      'Metric "latency" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4)',
    );
  });

  it('when the provider is slower than timeoutSeconds then the measurement is an Error (timeout)', async () => {
    const { result } = await run([{ slowMs: 1500, then: 'pass' }, 'pass'], { count: 1 });
    expect(result.metrics[0]?.measurements[0]?.phase).toBe('Error');
    expect(result.metrics[0]?.measurements[0]?.message).toMatch(
      /^Get "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/checks\/latency\?model=llama-3-8b&canary=abc": context deadline exceeded/,
    );
    expect(result.phase).toBe('Successful');
  });

  it('when a 2xx body is not JSON then Successful without judging, with a loud warning (v1.9.1 quirk)', async () => {
    const { result, events } = await run(['not-json'], { count: 1 });
    expect(result.phase).toBe('Successful');
    expect(result.metrics[0]?.measurements[0]).toMatchObject({
      phase: 'Successful',
      value: 'OK',
      nonJsonQuirk: true,
    });
    const warning = events.find((e) => e.type === 'warning');
    expect(warning?.type === 'warning' && warning.message).toMatch(
      /WITHOUT evaluating any condition.*v1\.9\.1 quirk/,
    );
  });

  it('when nothing listens then Error with the transport error', async () => {
    const result = await runAnalysis({
      templates: [latencyTemplate({ count: 1, consecutiveErrorLimit: 0 })],
      args: { 'provider-url': 'http://127.0.0.1:1' },
      clock: instantClock(),
    });
    expect(result.phase).toBe('Error');
    expect(result.metrics[0]?.measurements[0]?.message).toMatch(
      /^Get "http:\/\/127\.0\.0\.1:1\/.*": connect: connection refused$/,
    );
  });

  it('when a library template runs then Argo’s GET reaches the provider with every arg filled in', async () => {
    provider.script(['pass']);
    const result = await runAnalysis({
      templates: [libraryTemplate('vllm-latency')],
      args: { ...LIBRARY_ARGS, 'provider-url': provider.url },
      clock: instantClock(),
    });
    expect(result.phase).toBe('Successful');
    expect(provider.requests).toHaveLength(5);
    const request = provider.requests[0];
    expect(request?.method).toBe('GET');
    const query = new URL(request?.url ?? '', provider.url).searchParams;
    expect(Object.fromEntries(query)).toMatchObject({
      namespace: 'llm',
      model: 'llama-3-8b',
      canary: '6d4f8b9c7',
      stable: '5c7d9f8b6',
      window: '5m',
      looks: '5',
      signal: 'e2e',
    });
  });

  it('when the composite template runs then Argo’s POST carries the jsonBody as application/json', async () => {
    provider.script(['inconclusive']);
    const result = await runAnalysis({
      templates: [libraryTemplate('vllm-canary-health')],
      args: { ...LIBRARY_ARGS, 'provider-url': provider.url },
      clock: instantClock(),
    });
    expect(result.phase).toBe('Inconclusive');
    const request = provider.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/v1/analysis');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toMatchObject({
      namespace: 'llm',
      model: 'llama-3-8b',
      canary: '6d4f8b9c7',
      looks: 5,
      checks: expect.arrayContaining([expect.objectContaining({ check: 'error-ratio', critical: true })]),
    });
  });

  it('when the run is consumed as an event stream on a sped-up real clock then events arrive in order', async () => {
    provider.script(['pass']);
    const handle = startAnalysis({
      templates: [latencyTemplate({ interval: '10s', count: 2 })],
      args: { 'provider-url': provider.url },
      timeScale: 100,
    });
    const types: string[] = [];
    for await (const event of handle.events) types.push(event.type);
    expect(types).toEqual(['started', 'measurement', 'measurement', 'metric', 'finished']);
    const result = await handle.result;
    const [first, second] = result.metrics[0]?.measurements ?? [];
    expect((second?.startedAt.getTime() ?? 0) - (first?.finishedAt.getTime() ?? 0)).toBeGreaterThanOrEqual(
      10_000,
    );
  });

  it('when a run with only an interval is stopped then it ends Successful and marked stopped', async () => {
    provider.script(['pass']);
    const handle = startAnalysis({
      templates: [latencyTemplate({ interval: '1h', count: undefined })],
      args: { 'provider-url': provider.url },
      timeScale: 1,
      onEvent: (e) => {
        if (e.type === 'measurement') handle.stop();
      },
    });
    const result = await handle.result;
    expect(result).toMatchObject({ phase: 'Successful', stopped: true });
  });
});
