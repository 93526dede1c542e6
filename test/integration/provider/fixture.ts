// A shared fixture for provider integration tests: vLLM emulators as stable and canary pods (distinct
// pod-template-hashes), scraped every second by a real Prometheus, driven with real HTTP traffic, and the provider
// in front of it. Tests then ask the provider over HTTP what an AnalysisTemplate would ask.
import { request } from 'undici';
import { generateLoad } from '../../../demo/index.js';
import { startEmulator, type PartialProfile, type RunningEmulator } from '../../../emulator/index.js';
import type { VllmGeneration } from '../../../metrics-provider/catalog/index.js';
import {
  createLogger,
  loadConfig,
  startProvider,
  type RunningProvider,
} from '../../../metrics-provider/index.js';
import { startPrometheus, type RunningPrometheus } from '../../harness/index.js';

export const NAMESPACE = 'llm';
export const MODEL = 'llama-3-8b';
export const TIME_SCALE = 50;

/** A realistic small model: ~0.1 s prefill, 25 ms per token, ~60 tokens; p95 e2e around 2-3 s virtual. */
export const BASE_PROFILE: PartialProfile = {
  queueWait: { median: 0.002, sigma: 0.3 },
  ttft: { median: 0.1, sigma: 0.3 },
  interTokenLatency: { median: 0.025, sigma: 0.2 },
  outputTokens: { median: 60, sigma: 0.3 },
  loadFactor: 0,
  maxRunning: 256,
};

export interface PodSpec {
  readonly hash: string;
  readonly generation?: VllmGeneration;
  readonly profile?: PartialProfile;
  /** Requests to send to this pod; 0 leaves it idle. */
  readonly requests: number;
}

export interface Fixture {
  readonly prometheus: RunningPrometheus;
  readonly provider: RunningProvider;
  readonly emulators: ReadonlyMap<string, RunningEmulator>;
  /** Every PromQL query the provider sent. */
  readonly queries: string[];
  get(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startFixture(pods: readonly PodSpec[]): Promise<Fixture> {
  const emulators = new Map<string, RunningEmulator>();
  for (const [i, pod] of pods.entries()) {
    emulators.set(
      pod.hash,
      await startEmulator({
        model: MODEL,
        generation: pod.generation ?? 'current',
        profile: { ...BASE_PROFILE, ...pod.profile },
        seed: 100 + i,
        timeScale: TIME_SCALE,
      }),
    );
  }
  const prometheus = await startPrometheus({
    targets: pods.map((pod) => ({
      url: `${emulators.get(pod.hash)!.url}/metrics`,
      labels: { namespace: NAMESPACE, rollouts_pod_template_hash: pod.hash, service: `svc-${pod.hash}` },
    })),
    scrapeInterval: '1s',
  });
  await prometheus.waitForTargetsUp(30_000);

  await Promise.all(
    pods
      .filter((pod) => pod.requests > 0)
      .map((pod) =>
        generateLoad({
          stable: { url: emulators.get(pod.hash)!.url, model: MODEL },
          canaryWeight: 0,
          requests: pod.requests,
          concurrency: 16,
        }),
      ),
  );
  // Two scrapes after the last request, so every counter's final value is in Prometheus.
  await new Promise((r) => setTimeout(r, 2500));

  const queries: string[] = [];
  const provider = await startProvider(
    loadConfig(undefined, { prometheusUrl: prometheus.url, port: 0, host: '127.0.0.1' }),
    {
      logger: createLogger('silent'),
      onQuery: (q) => queries.push(q),
    },
  );

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await request(`${provider.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: JSON.parse(text) as Record<string, unknown> };
  };

  return {
    prometheus,
    provider,
    emulators,
    queries,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    async close() {
      await provider.close();
      await prometheus.stop();
      await Promise.all([...emulators.values()].map((e) => e.close()));
    },
  };
}

/** The query string a template builds for one check, canary against stable. */
export function checkPath(
  check: string,
  canary: string,
  params: Record<string, string | number> = {},
): string {
  const query = new URLSearchParams({
    namespace: NAMESPACE,
    model: MODEL,
    canary,
    stable: 'stable',
    window: '2m',
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  });
  return `/api/v1/checks/${check}?${query.toString()}`;
}
