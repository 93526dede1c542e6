// Kubernetes discovery against a real API server: k3s in a container (testcontainers' k3s module). It runs only
// where Docker can get the k3s image; elsewhere the suite is skipped and says why. Pods here are pause containers:
// their IPs live inside the k3s network, out of the test's reach, so this suite checks what discovery finds
// (names, IPs, labels, readiness) and the local fake API server suite checks scraping the discovered pods.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { K3sContainer, type StartedK3sContainer } from '@testcontainers/k3s';
import { pino } from 'pino';
import { ImageName } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScrapeSource, type ScrapeSource } from '../../../metrics-provider/sources/scrape/index.js';
import { dockerClient } from '../../harness/docker.js';
import { waitFor } from '../../harness/wait.js';

const K3S_IMAGE = 'rancher/k3s:v1.31.2-k3s1';
const PAUSE_IMAGE = 'rancher/mirrored-pause:3.6'; // k3s' own sandbox image
const NS = 'vllm-canary-scrape';
const PORT = 8000;

/** Why the suite cannot run here, or undefined: Docker must answer and the k3s image must be present or pullable. */
async function unavailable(): Promise<string | undefined> {
  try {
    const client = await dockerClient();
    const image = ImageName.fromString(K3S_IMAGE);
    if (await client.image.exists(image)) return undefined;
    await client.image.pull(image);
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `the k3s image ${K3S_IMAGE} cannot be resolved here (${reason})`;
  }
}

const skip = await unavailable();
if (skip !== undefined) {
  console.warn(
    `[k3s suite skipped] ${skip}. Kubernetes discovery is covered by kubernetes-discovery.test.ts.`,
  );
}

describe.skipIf(skip !== undefined)('Kubernetes discovery against k3s', () => {
  let k3s: StartedK3sContainer;
  let dir: string;
  let kubeconfig: string;
  let core: CoreV1Api;
  let source: ScrapeSource | undefined;

  beforeAll(async () => {
    k3s = await new K3sContainer(K3S_IMAGE).start();
    dir = mkdtempSync(join(tmpdir(), 'scrape-k3s-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, k3s.getKubeConfig(), { mode: 0o600 });
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
  }, 300_000);

  afterAll(async () => {
    await source?.close();
    await k3s?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const pod = (name: string): V1Pod => ({
    metadata: {
      name,
      namespace: NS,
      labels: { app: 'vllm-scrape-test', 'rollouts-pod-template-hash': 'abc123' },
    },
    spec: { containers: [{ name: 'main', image: PAUSE_IMAGE, ports: [{ containerPort: PORT }] }] },
  });
  const ips = async () => {
    const list = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=vllm-scrape-test' });
    return new Map(list.items.map((p) => [p.metadata!.name!, p.status?.podIP]));
  };

  it('when pods start and one is deleted then the discovered targets follow', async () => {
    await core.createNamespacedPod({ namespace: NS, body: pod('vllm-a') });
    await core.createNamespacedPod({ namespace: NS, body: pod('vllm-b') });
    source = createScrapeSource(
      {
        intervalSeconds: 5,
        kubernetes: [{ namespace: NS, podSelector: 'app=vllm-scrape-test', port: PORT, kubeconfig }],
      },
      { logger: pino({ level: 'silent' }) },
    );
    await source.ready();
    const s = source;
    const names = () =>
      s
        .targets()
        .map((t) => t.target.labels.pod)
        .sort();
    await waitFor(() => names().join() === 'vllm-a,vllm-b', {
      timeoutMs: 180_000,
      description: 'both pods Ready',
    });
    const known = await ips();
    for (const t of s.targets()) {
      expect(t.target.url).toBe(`http://${known.get(t.target.labels.pod!)}:${PORT}/metrics`);
      expect(t.target.labels).toMatchObject({ namespace: NS, rollouts_pod_template_hash: 'abc123' });
    }
    await core.deleteNamespacedPod({ name: 'vllm-a', namespace: NS, gracePeriodSeconds: 0 });
    await waitFor(() => names().join() === 'vllm-b', { timeoutMs: 60_000, description: 'vllm-a to leave' });
  }, 300_000);

  it('when a Service selects the pods then its EndpointSlices give the same pods with the service label', async () => {
    await core.createNamespacedService({
      namespace: NS,
      body: {
        metadata: { name: 'vllm-canary', namespace: NS },
        spec: { selector: { app: 'vllm-scrape-test' }, ports: [{ port: PORT, targetPort: PORT }] },
      },
    });
    const svc = createScrapeSource(
      { intervalSeconds: 5, kubernetes: [{ namespace: NS, service: 'vllm-canary', port: PORT, kubeconfig }] },
      { logger: pino({ level: 'silent' }) },
    );
    try {
      await svc.ready();
      await waitFor(() => svc.targets().length === 1, { timeoutMs: 120_000, description: 'the endpoint' });
      expect(svc.targets()[0]!.target.labels).toMatchObject({
        pod: 'vllm-b',
        service: 'vllm-canary',
        rollouts_pod_template_hash: 'abc123',
      });
    } finally {
      await svc.close();
    }
  }, 300_000);
});
