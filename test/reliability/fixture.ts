// One real Prometheus with an hour of backfilled vLLM history (a healthy canary and stable) that also scrapes a few
// pods whose pages carry one broken family, and in-process providers in front of it: straight, and through the
// fault proxy. Caching is off (cacheTtlSeconds 0), so each answer reflects the fault in force when it was asked.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  createLogger,
  loadConfig,
  startProvider,
  type ProviderOptions,
  type RunningProvider,
} from '../../metrics-provider/index.js';
import { startPrometheus, type RunningPrometheus } from '../harness/index.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startFaultyExporter, type FaultyExporter, type PageFault } from './faulty-exporter.js';
import { NAMESPACE, vllmHistory } from './vllm-history.js';

export const BROKEN_PODS: readonly PageFault[] = [
  'nan-kv-cache',
  'inf-queue',
  'nan-requests',
  'histogram-without-inf',
];

export interface ReliabilityFixture {
  readonly prometheus: RunningPrometheus;
  readonly proxy: FaultProxy;
  readonly exporter: FaultyExporter;
  /** Provider asking Prometheus through the fault proxy. */
  readonly proxied: RunningProvider;
  /** Provider asking Prometheus straight. */
  readonly direct: RunningProvider;
  close(): Promise<void>;
}

/** A validated provider configuration from a YAML file, as `vllm-canary serve --config` reads it. */
export function providerConfig(prometheusUrl: string, extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vllm-canary-reliability-'));
  const file = join(dir, 'provider.yaml');
  const doc = {
    server: { host: '127.0.0.1', port: 0 },
    source: { type: 'prometheus', prometheus: { url: prometheusUrl, cacheTtlSeconds: 0 } },
    logLevel: 'silent',
    ...extra,
  };
  writeFileSync(file, stringify(doc));
  return loadConfig(file);
}

export async function startReliabilityFixture(options: ProviderOptions = {}): Promise<ReliabilityFixture> {
  const exporter = await startFaultyExporter(BROKEN_PODS.map((fault) => ({ name: fault, fault })));
  const prometheus = await startPrometheus({
    backfill: vllmHistory({
      tracks: [
        { hash: 'stable', pods: 2 },
        { hash: 'canary', pods: 2 },
      ],
      durationSeconds: 1800,
    }),
    targets: BROKEN_PODS.map((fault) => ({
      url: exporter.podUrl(fault),
      labels: {
        namespace: NAMESPACE,
        rollouts_pod_template_hash: fault,
        service: `svc-${fault}`,
        pod: `vllm-${fault}-0`,
      },
    })),
    scrapeInterval: '1s',
  });
  const proxy = await startFaultProxy(prometheus.url);
  const logger = createLogger('silent');
  const proxied = await startProvider(providerConfig(proxy.url), { logger, ...options });
  const direct = await startProvider(providerConfig(prometheus.url), { logger, ...options });
  return {
    prometheus,
    proxy,
    exporter,
    proxied,
    direct,
    async close() {
      await proxied.close();
      await direct.close();
      await proxy.close();
      await prometheus.stop();
      await exporter.close();
    },
  };
}
