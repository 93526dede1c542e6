// The provider exactly as the chart deploys it, run as a plain process against a real Prometheus: the container's
// args and env from the rendered Deployment, its volumes laid out as the kubelet would (ConfigMaps and Secrets from
// the rendered objects, existing Secrets from the test), the rendered config.yaml pointing at the test's Prometheus.
// It must start and answer the Deployment's readiness probe with 200. Two deviations, both for a shared machine:
// every mount path is placed under a temporary folder, and VLLM_CANARY_HOST/PORT pick a free local port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPrometheus, waitFor, type RunningPrometheus } from '../../harness/index.js';
import { findObject, renderChart, type ChartInput, type KubeObject } from '../../unit/chart/helm.js';

interface Container {
  args: string[];
  env?: { name: string; value: string }[];
  volumeMounts: { name: string; mountPath: string }[];
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
}
interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  emptyDir?: unknown;
}
interface PodSpec {
  containers: Container[];
  volumes: Volume[];
  terminationGracePeriodSeconds: number;
}

/** Secrets and ConfigMaps that exist in the cluster before the install (values name them as existing). */
type Existing = Record<string, Record<string, string>>;

/** Writes each volume where the container mounts it, under `root`; returns the path mapping. */
function layOutVolumes(objects: readonly KubeObject[], pod: PodSpec, existing: Existing, root: string) {
  const dataOf = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
    const rendered = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (rendered === undefined) {
      const given = existing[`${kind}/${name}`];
      if (given === undefined) throw new Error(`${kind} ${name} is neither rendered nor given by the test`);
      return given;
    }
    const data = (rendered.data ?? {}) as Record<string, string>;
    return kind === 'Secret'
      ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))
      : data;
  };
  for (const mount of pod.containers[0]!.volumeMounts) {
    const volume = pod.volumes.find((v) => v.name === mount.name)!;
    const dir = join(root, mount.mountPath);
    mkdirSync(dir, { recursive: true });
    const source = volume.configMap
      ? { data: dataOf('ConfigMap', volume.configMap.name), items: volume.configMap.items }
      : volume.secret
        ? { data: dataOf('Secret', volume.secret.secretName), items: volume.secret.items }
        : undefined;
    if (source === undefined) continue; // emptyDir
    const items = source.items ?? Object.keys(source.data).map((key) => ({ key, path: key }));
    for (const item of items) writeFileSync(join(dir, item.path), source.data[item.key]!);
  }
  const mountPaths = pod.containers[0]!.volumeMounts.map((m) => m.mountPath);
  return (path: string) =>
    mountPaths.some((m) => path === m || path.startsWith(`${m}/`)) ? join(root, path) : path;
}

interface RunningPod {
  readonly url: string;
  readonly container: Container;
  readonly objects: readonly KubeObject[];
  readonly log: () => string;
  readonly process: ChildProcess;
}

async function runChartPod(input: ChartInput, existing: Existing): Promise<RunningPod> {
  const objects = renderChart(input);
  const deployment = findObject(objects, 'Deployment');
  const pod = (deployment.spec as { template: { spec: PodSpec } }).template.spec;
  const container = pod.containers[0]!;
  const root = mkdtempSync(join(tmpdir(), 'vllm-canary-pod-'));
  const inPod = layOutVolumes(objects, pod, existing, root);

  // The configuration names files by their paths in the pod; here they sit under `root`.
  const configPath = inPod(container.args[container.args.indexOf('--config') + 1]!);
  const config = readFileSync(configPath, 'utf8').replace(
    /(File|Dir): (\/\S+)/g,
    (_m, kind: string, path: string) => `${kind}: ${inPod(path)}`,
  );
  writeFileSync(configPath, config);

  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value])),
    VLLM_CANARY_HOST: '127.0.0.1',
    VLLM_CANARY_PORT: String(port),
  };
  const args = container.args.map((a) => (a.startsWith('/') ? inPod(a) : a));
  const child = spawn(process.execPath, ['bin/vllm-canary.js', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code) => reject(new Error(`the provider exited (${code}):\n${log}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([
    exited,
    waitFor(
      async () =>
        (await fetch(`${url}${container.livenessProbe.httpGet.path}`).catch(() => undefined))?.ok === true,
      { timeoutMs: 60_000 },
    ),
  ]);
  return { url, container, objects, log: () => log, process: child };
}

async function stop(pod: RunningPod | undefined): Promise<number | null> {
  if (pod === undefined || pod.process.exitCode !== null) return pod?.process.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => pod.process.once('exit', (code) => resolve(code)));
  pod.process.kill('SIGTERM');
  return exited;
}

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus({ targets: [] });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

describe('the provider of ci/default-values.yaml', () => {
  let pod: RunningPod | undefined;

  beforeAll(async () => {
    pod = await runChartPod(
      { valuesFiles: ['default-values.yaml'], set: [`source.prometheus.url=${prometheus.url}`] },
      {},
    );
  }, 120_000);

  afterAll(async () => {
    if (pod?.process.exitCode === null) pod.process.kill('SIGKILL');
  });

  it("when the Deployment's readiness probe is asked then it answers 200: Prometheus answers", async () => {
    const response = await fetch(`${pod!.url}${pod!.container.readinessProbe.httpGet.path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', source: 'prometheus' });
  });

  it('when a check is asked with no token configured then it answers with a verdict', async () => {
    const response = await fetch(
      `${pod!.url}/api/v1/checks/latency?namespace=llm&model=m&canary=abc&stable=def`,
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { verdict: string }).verdict).toBe('inconclusive');
  });

  it('when Prometheus hangs then readiness fails with 503 and liveness still answers', async () => {
    await prometheus.pause();
    try {
      const ready = await fetch(`${pod!.url}${pod!.container.readinessProbe.httpGet.path}`);
      expect(ready.status).toBe(503);
      expect((await fetch(`${pod!.url}${pod!.container.livenessProbe.httpGet.path}`)).status).toBe(200);
    } finally {
      await prometheus.unpause();
    }
  });

  it('when sent SIGTERM, as the kubelet does, then it exits 0', async () => {
    expect(await stop(pod)).toBe(0);
  });
});

describe('the provider with auth, a tenant header, a bearer token for Prometheus and a dataset from values', () => {
  const PROMETHEUS_TOKEN = 'prometheus-token-from-an-existing-secret';
  const CAPITALS = {
    name: 'capitals',
    items: [
      { id: 'france', prompt: 'The capital of France is', expected: 'Paris', scorer: { type: 'contains' } },
    ],
  };
  let pod: RunningPod | undefined;

  beforeAll(async () => {
    pod = await runChartPod(
      {
        valuesFiles: ['default-values.yaml'],
        set: [
          `source.prometheus.url=${prometheus.url}`,
          'source.prometheus.headers.X-Scope-OrgID=team-llm',
          'source.prometheus.bearerToken.existingSecret=prometheus-token',
          'auth.enabled=true',
          'auth.rolloutNamespaces={llm}',
        ],
        setJson: [`quality.datasets={"capitals.yaml": ${JSON.stringify(CAPITALS)}}`],
      },
      { 'Secret/prometheus-token': { token: `${PROMETHEUS_TOKEN}\n` } },
    );
  }, 120_000);

  afterAll(async () => {
    if (pod?.process.exitCode === null) pod.process.kill('SIGKILL');
  });

  const apiToken = () => {
    const secret = findObject(pod!.objects, 'Secret', 'vllm-canary-api-token');
    return Buffer.from((secret.data as Record<string, string>).token!, 'base64').toString();
  };
  const check = '/api/v1/checks/error-ratio?namespace=llm&model=m&canary=abc&stable=def';

  it('when the readiness probe is asked then it answers 200 without a token', async () => {
    expect((await fetch(`${pod!.url}${pod!.container.readinessProbe.httpGet.path}`)).status).toBe(200);
  });

  it("when the API is called without the chart's token then it refuses with 401", async () => {
    expect((await fetch(`${pod!.url}${check}`)).status).toBe(401);
  });

  it('when the API is called with the token of the Secret the templates read then it answers', async () => {
    const copy = pod!.objects.find((o) => o.kind === 'Secret' && o.metadata.namespace === 'llm')!;
    const templateToken = Buffer.from((copy.data as Record<string, string>).token!, 'base64').toString();
    expect(templateToken).toBe(apiToken());
    const response = await fetch(`${pod!.url}${check}`, {
      headers: { authorization: `Bearer ${templateToken}` },
    });
    expect(response.status).toBe(200);
  });

  it('when a quality check names an unknown dataset then the answer lists the datasets mounted from the chart', async () => {
    const response = await fetch(
      `${pod!.url}/api/v1/checks/quality?namespace=llm&model=m&canary=abc&stable=def&dataset=nonexistent`,
      { headers: { authorization: `Bearer ${apiToken()}` } },
    );
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('capitals');
    expect(text).toContain('default');
  });

  it('when the log is read then neither token appears in it', async () => {
    await stop(pod);
    expect(pod!.log()).not.toContain(apiToken());
    expect(pod!.log()).not.toContain(PROMETHEUS_TOKEN);
  });
});
