// Kubernetes discovery through @kubernetes/client-node against a local server that speaks the Kubernetes API
// (test/harness/fake-kube-api.ts), reached through a kubeconfig file the test writes and the source loads. Pods
// join and leave as the server streams watch events; the "pods" are /metrics servers on loopback addresses
// (127.0.0.2, 127.0.0.3, ...), so every discovered target is really scraped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VLLM_METRICS } from '../../../metrics-provider/catalog/index.js';
import type { TrackSelector } from '../../../metrics-provider/sources/metric-source.js';
import {
  createScrapeSource,
  type KubernetesDiscoveryOptions,
  type ScrapeSource,
} from '../../../metrics-provider/sources/scrape/index.js';
import { FakeKubeApi } from '../../harness/fake-kube-api.js';
import { freePort, waitFor } from '../../harness/wait.js';
import { vllmPage } from '../../unit/scrape/pages.js';
import { MetricsServer } from './metrics-server.js';

const NS = 'llm';
const logger = pino({ level: 'silent' });
const canary: TrackSelector = { namespace: NS, model: 'm', by: 'pod-template-hash', value: 'can' };

let dir: string;
let port: number;
const pods: MetricsServer[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scrape-kube-'));
  port = await freePort();
  for (const host of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
    const s = await MetricsServer.start(host, port);
    s.serve(vllmPage('m', { kv: 0.25, success: { stop: 1 } }));
    pods.push(s);
  }
});
afterAll(async () => {
  await Promise.all(pods.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

let api: FakeKubeApi;
let source: ScrapeSource | undefined;
afterEach(async () => {
  await source?.close();
  source = undefined;
  await api?.close();
});

/** A pod as the API returns it; `ready` sets the Ready condition. */
function pod(name: string, ip: string, opts: { ready?: boolean; app?: string; hash?: string } = {}) {
  const { ready = true, app = 'vllm', hash = 'can' } = opts;
  return {
    metadata: {
      name,
      namespace: NS,
      uid: `uid-${name}`,
      labels: { app, 'rollouts-pod-template-hash': hash },
      creationTimestamp: '2025-01-01T00:00:00Z',
    },
    spec: {
      containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', ports: [{ containerPort: port }] }],
    },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
      ],
    },
  };
}

function start(
  discovery: Omit<KubernetesDiscoveryOptions, 'namespace' | 'port' | 'kubeconfig'>,
): ScrapeSource {
  const kubeconfig = api.writeKubeconfig(join(dir, 'kubeconfig'));
  source = createScrapeSource(
    {
      intervalSeconds: 1,
      timeoutSeconds: 0.5,
      kubernetes: [{ namespace: NS, port, kubeconfig, ...discovery }],
    },
    { logger },
  );
  return source;
}

const targetPods = (s: ScrapeSource) =>
  s
    .targets()
    .map((t) => t.target.labels.pod)
    .sort();
const until = (s: ScrapeSource, expected: string[], description: string) =>
  waitFor(() => JSON.stringify(targetPods(s)) === JSON.stringify(expected), {
    timeoutMs: 15_000,
    description,
  });

describe('pods selected by label, listed then watched', () => {
  it('when pods start, become ready, change labels and go then targets follow the watch', async () => {
    api = await FakeKubeApi.start();
    api.put('pods', pod('vllm-a', '127.0.0.2'));
    api.put('pods', pod('vllm-b', '127.0.0.3', { ready: false }));
    api.put('pods', pod('other', '127.0.0.4', { app: 'web' }));
    const s = start({ podSelector: 'app=vllm' });
    await s.ready();

    expect(targetPods(s)).toEqual(['vllm-a']);
    expect({ ...s.targets()[0]!.target.labels }).toEqual({
      namespace: NS,
      pod: 'vllm-a',
      rollouts_pod_template_hash: 'can',
      instance: `127.0.0.2:${port}`,
    });
    expect(s.targets()[0]!.target.url).toBe(`http://127.0.0.2:${port}/metrics`);
    const list = api.requests.find((r) => !r.watch)!;
    expect(list).toMatchObject({
      path: `/api/v1/namespaces/${NS}/pods`,
      query: { labelSelector: 'app=vllm' },
    });
    await waitFor(() => api.openWatches('pods') === 1, { description: 'the watch to open' });

    api.put('pods', pod('vllm-b', '127.0.0.3')); // MODIFIED: now Ready
    await until(s, ['vllm-a', 'vllm-b'], 'vllm-b to join when Ready');
    await waitFor(() => s.stats().healthy === 2, { description: 'both pods scraped' });
    expect(await s.presentMetrics([VLLM_METRICS.kvCacheUsage], canary)).toEqual([VLLM_METRICS.kvCacheUsage]);

    api.remove('pods', NS, 'vllm-a'); // DELETED
    await until(s, ['vllm-b'], 'vllm-a to leave when deleted');

    api.put('pods', pod('vllm-b', '127.0.0.3', { app: 'retired' })); // no longer matches: DELETED on the watch
    await until(s, [], 'vllm-b to leave when its labels stop matching');
    expect(await s.presentMetrics([VLLM_METRICS.kvCacheUsage], canary)).toEqual([]);
    expect((await s.health()).detail).toBe('no scrape targets discovered yet');
  });

  it('when the server ends the watch then the client watches again from the last resourceVersion', async () => {
    api = await FakeKubeApi.start();
    api.put('pods', pod('vllm-a', '127.0.0.2'));
    const s = start({ podSelector: 'app=vllm' });
    await s.ready();
    await waitFor(() => api.openWatches('pods') === 1, { description: 'the watch to open' });
    const lastRv = api.put('pods', pod('vllm-b', '127.0.0.3'));
    await until(s, ['vllm-a', 'vllm-b'], 'vllm-b to join over the first watch');
    api.endWatches();
    await waitFor(() => api.openWatches('pods') === 1, { description: 'the watch to reopen' });
    const watches = api.requests.filter((r) => r.watch);
    expect(watches.at(-1)!.query.resourceVersion).toBe(lastRv);
    expect(api.requests.filter((r) => !r.watch)).toHaveLength(1); // no second list

    api.put('pods', pod('vllm-c', '127.0.0.4'));
    await until(s, ['vllm-a', 'vllm-b', 'vllm-c'], 'vllm-c to join over the new watch');
  });

  it('when the resourceVersion has expired (410 Gone) then the client lists again and catches up', async () => {
    api = await FakeKubeApi.start();
    api.put('pods', pod('vllm-a', '127.0.0.2'));
    const s = start({ podSelector: 'app=vllm' });
    await s.ready();
    await waitFor(() => api.openWatches('pods') === 1, { description: 'the watch to open' });
    api.endWatches();
    api.remove('pods', NS, 'vllm-a');
    api.put('pods', pod('vllm-c', '127.0.0.4'));
    api.compact(); // the watch from the old resourceVersion now gets an ERROR event with code 410
    await until(s, ['vllm-c'], 'the relisted state');
    expect(api.requests.filter((r) => !r.watch).length).toBeGreaterThanOrEqual(2);
  });

  it('when the API fails then health says why and discovery recovers by itself', async () => {
    api = await FakeKubeApi.start();
    api.put('pods', pod('vllm-a', '127.0.0.2'));
    api.failNext(500);
    const s = start({ podSelector: 'app=vllm' });
    await s.ready();
    const health = await s.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/pods app=vllm in llm: pods: /);
    await until(s, ['vllm-a'], 'discovery to retry');
    await waitFor(async () => (await s.health()).ok, { description: 'health to recover' });
  });

  it('when the source is closed while a list is still under way then no watch is left open', async () => {
    api = await FakeKubeApi.start();
    api.put('pods', pod('vllm-a', '127.0.0.2'));
    api.listDelayMs = 500;
    const s = start({ podSelector: 'app=vllm' });
    await new Promise((r) => setTimeout(r, 100));
    await s.close();
    source = undefined;
    await new Promise((r) => setTimeout(r, 800));
    expect(api.openWatches()).toBe(0);
  });

  it('when the kubeconfig token is wrong then the API refuses it and health reports it', async () => {
    api = await FakeKubeApi.start('the-right-token');
    api.put('pods', pod('vllm-a', '127.0.0.2'));
    const kubeconfig = api.writeKubeconfig(join(dir, 'wrong-kubeconfig'));
    writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace(api.token, 'a-wrong-token'));
    source = createScrapeSource(
      {
        intervalSeconds: 1,
        timeoutSeconds: 0.5,
        kubernetes: [{ namespace: NS, port, kubeconfig, podSelector: 'app=vllm' }],
      },
      { logger },
    );
    await source.ready();
    expect((await source.health()).ok).toBe(false);
    expect(targetPods(source)).toEqual([]);
    expect(api.requests.length).toBeGreaterThan(0); // it was asked, and said 401
  });
});

describe("a Service's EndpointSlices", () => {
  const slice = (ready: Record<string, boolean>) => ({
    metadata: {
      name: 'vllm-canary-x7k2p',
      namespace: NS,
      labels: {
        'kubernetes.io/service-name': 'vllm-canary',
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', port, protocol: 'TCP' }],
    endpoints: Object.entries(ready).map(([name, isReady]) => ({
      addresses: [{ 'vllm-a': '127.0.0.2', 'vllm-b': '127.0.0.3' }[name]!],
      conditions: { ready: isReady, serving: isReady, terminating: false },
      targetRef: { kind: 'Pod', namespace: NS, name, uid: `uid-${name}` },
      nodeName: 'node-1',
    })),
  });

  it('when endpoints turn ready or go then targets follow, labelled with the service and the pod hash', async () => {
    api = await FakeKubeApi.start();
    api.put('pods', pod('vllm-a', '127.0.0.2'));
    api.put('pods', pod('vllm-b', '127.0.0.3', { hash: 'can' }));
    api.put('endpointslices', slice({ 'vllm-a': true, 'vllm-b': false }));
    const s = start({ service: 'vllm-canary' });
    await s.ready();

    expect(targetPods(s)).toEqual(['vllm-a']);
    expect({ ...s.targets()[0]!.target.labels }).toEqual({
      namespace: NS,
      pod: 'vllm-a',
      rollouts_pod_template_hash: 'can',
      service: 'vllm-canary',
      instance: `127.0.0.2:${port}`,
    });
    expect(api.requests.find((r) => !r.watch && r.path.endsWith('/endpointslices'))!.query).toEqual({
      labelSelector: 'kubernetes.io/service-name=vllm-canary',
    });

    api.put('endpointslices', slice({ 'vllm-a': true, 'vllm-b': true }));
    await until(s, ['vllm-a', 'vllm-b'], 'vllm-b to join when its endpoint is ready');
    const bySvc: TrackSelector = { namespace: NS, model: 'm', by: 'service', value: 'vllm-canary' };
    await waitFor(() => s.stats().healthy === 2, { description: 'both endpoints scraped' });
    await waitFor(async () => (await s.presentMetrics([VLLM_METRICS.kvCacheUsage], bySvc)).length === 1);

    api.remove('endpointslices', NS, 'vllm-canary-x7k2p');
    await until(s, [], 'every target to leave with the slice');
  });
});

describe('the kubeconfig', () => {
  const withKubeconfig = (kubeconfig: string) =>
    createScrapeSource(
      { kubernetes: [{ namespace: NS, port, kubeconfig, podSelector: 'app=vllm' }] },
      { logger },
    );

  it('when the file is missing then creating the source fails at once, naming it', () => {
    const missing = join(dir, 'no-such-kubeconfig');
    expect(() => withKubeconfig(missing)).toThrow(`ENOENT: no such file or directory, access '${missing}'`);
  });

  it('when the file is not a kubeconfig then start fails and health says why', async () => {
    const broken = join(dir, 'broken-kubeconfig');
    writeFileSync(broken, '{ clusters: [');
    source = withKubeconfig(broken);
    await expect(source.ready()).rejects.toThrow();
    const health = await source.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/pods app=vllm in llm: kubeconfig: \S+/);
    expect(source.targets()).toEqual([]);
  });
});
