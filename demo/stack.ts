// The demo's moving parts on one machine: a stable and a canary vLLM emulator, the provider on the embedded scrape
// source (scraping both every second, as a PodMonitor would feed Prometheus) with the quality sampler pointed at
// both, all on loopback. Everything it starts, close() stops.
import type { Logger } from 'pino';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { configFrom, createLogger, startProvider, type RunningProvider } from '../metrics-provider/index.js';
import { answerBookFromDataset, defaultDataset } from '../metrics-provider/quality/index.js';
import { STABLE_PROFILE, type Scenario } from './scenarios.js';

export const DEMO_NAMESPACE = 'demo';
export const DEMO_MODEL = 'llama-3.1-8b-instruct';
export const STABLE_HASH = '5c7d9f8b6';
export const CANARY_HASH = '6d4f8b9c7';

/** How much faster than real time the emulators answer (their metrics keep the real model's figures). */
const EMULATOR_TIME_SCALE = 10;

export interface DemoStack {
  readonly stable: RunningEmulator;
  readonly canary: RunningEmulator;
  readonly provider: RunningProvider;
  close(): Promise<void>;
}

export async function startDemoStack(scenario: Scenario, seed: number, logger?: Logger): Promise<DemoStack> {
  const log = logger ?? createLogger('silent');
  const answerBook = answerBookFromDataset(defaultDataset());
  const emulator = (profile: Scenario['canary'], offset: number) =>
    startEmulator({
      model: DEMO_MODEL,
      generation: 'current',
      profile: { ...STABLE_PROFILE, ...profile },
      seed: seed + offset,
      timeScale: EMULATOR_TIME_SCALE,
      answerBook,
      logger: log,
    });
  const stable = await emulator({}, 0);
  const canary = await emulator(scenario.canary, 1);
  const target = (e: RunningEmulator, hash: string) => ({
    url: `${e.url}/metrics`,
    labels: { namespace: DEMO_NAMESPACE, rollouts_pod_template_hash: hash, pod: `vllm-${hash}` },
  });
  // The provider is configured as a user would configure it without Prometheus: the scrape source with static targets.
  const config = configFrom({
    server: { host: '127.0.0.1', port: 0 },
    source: {
      type: 'scrape',
      scrape: {
        intervalSeconds: 1,
        timeoutSeconds: 1,
        retentionSeconds: 900,
        staticTargets: [target(stable, STABLE_HASH), target(canary, CANARY_HASH)],
      },
    },
    quality: {
      canaryUrl: canary.url,
      stableUrl: stable.url,
      requestsPerMinute: 6000,
      concurrency: 8,
      timeoutSeconds: 5,
    },
  });
  const provider = await startProvider(config, { logger: log });
  return {
    stable,
    canary,
    provider,
    async close() {
      await provider.close();
      await Promise.all([stable.close(), canary.close()]);
    },
  };
}
