// What the chart's provider objects must say: a locked-down pod, probes, spread, a config checksum that rolls pods,
// RBAC only for discovery, a NetworkPolicy that lets through only what the provider needs, monitors, the dashboard,
// the API token, names within 63 characters, and every file the configuration names mounted from the right object.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadDatasets } from '../../../metrics-provider/quality/index.js';
import { CHART_DIR, findObject, objectsOf, renderChart, type KubeObject } from './helm.js';

interface Container {
  args: string[];
  securityContext: Record<string, unknown>;
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  volumeMounts: { name: string; mountPath: string }[];
  env: { name: string; value: string }[];
}
interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
}
interface PodSpec {
  securityContext: Record<string, unknown>;
  automountServiceAccountToken: boolean;
  containers: Container[];
  volumes: Volume[];
  topologySpreadConstraints?: {
    topologyKey: string;
    labelSelector: { matchLabels: Record<string, string> };
  }[];
}
type Deployment = KubeObject & {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { annotations: Record<string, string> }; spec: PodSpec };
  };
};

const deploymentOf = (objects: readonly KubeObject[]) => findObject(objects, 'Deployment') as Deployment;
const podOf = (objects: readonly KubeObject[]) => deploymentOf(objects).spec.template.spec;
const configOf = (objects: readonly KubeObject[]) =>
  parse(
    (findObject(objects, 'ConfigMap', nameOf(objects)).data as Record<string, string>)['config.yaml']!,
  ) as Record<string, unknown>;
const nameOf = (objects: readonly KubeObject[]) => deploymentOf(objects).metadata.name;

describe('the provider pod', () => {
  const objects = renderChart({ valuesFiles: ['default-values.yaml'] });
  const pod = podOf(objects);
  const container = pod.containers[0]!;

  it('when its security settings are read then it runs as 65532, non-root, read-only, no capabilities, RuntimeDefault', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('when its probes are read then readiness asks /readyz and liveness /healthz on the http port', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
  });

  it('when its resources are read then it requests CPU and memory and caps memory', () => {
    expect(container.resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    expect(container.resources.limits.memory).toBe('384Mi');
  });

  it('when its spread is read then each constraint selects the pods by their selector labels', () => {
    const selector = deploymentOf(objects).spec.selector.matchLabels;
    expect(pod.topologySpreadConstraints?.map((c) => c.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
    for (const c of pod.topologySpreadConstraints ?? [])
      expect(c.labelSelector.matchLabels).toEqual(selector);
  });

  it('when its selector is read then it holds no label that changes with an upgrade', () => {
    expect(deploymentOf(objects).spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'vllm-canary',
      'app.kubernetes.io/instance': 'vllm-canary',
      'app.kubernetes.io/component': 'metrics-provider',
    });
  });

  it('when /tmp is the only writable place then it is an emptyDir', () => {
    expect(container.volumeMounts.find((m) => m.mountPath === '/tmp')?.name).toBe('tmp');
    expect(pod.volumes.find((v) => v.name === 'tmp')).toMatchObject({ emptyDir: {} });
  });
});

describe('the config checksum', () => {
  const checksum = (set: string[]) =>
    deploymentOf(renderChart({ valuesFiles: ['default-values.yaml'], set })).spec.template.metadata
      .annotations['checksum/config'];

  it('when the values are the same then the checksum is the same', () => {
    expect(checksum([])).toBe(checksum([]));
  });

  it('when a configuration value changes then the checksum changes, so the pods roll', () => {
    expect(checksum(['provider.logLevel=debug'])).not.toBe(checksum([]));
    expect(checksum(['source.prometheus.url=http://other:9090'])).not.toBe(checksum([]));
  });

  it('when only the replica count changes then the checksum stays', () => {
    expect(checksum(['replicaCount=5'])).toBe(checksum([]));
  });
});

describe('RBAC', () => {
  const DISCOVERY_RULES = [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  ];
  const rbacKinds = /^(Cluster)?Role(Binding)?$/;

  it('when the source is Prometheus then no Role, binding or API token is given', () => {
    const objects = renderChart({ valuesFiles: ['default-values.yaml'] });
    expect(objects.filter((o) => rbacKinds.test(o.kind))).toEqual([]);
  });

  it('when discovery is on then each watched namespace gets a Role with only get/list/watch of pods and EndpointSlices', () => {
    const objects = renderChart({ valuesFiles: ['scrape-kubernetes-values.yaml'] });
    const roles = objectsOf(objects, 'Role');
    expect(roles.map((r) => r.metadata.namespace)).toEqual(['llm', 'llm-staging']);
    for (const role of roles) expect(role.rules).toEqual(DISCOVERY_RULES);
    for (const binding of objectsOf(objects, 'RoleBinding')) {
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'vllm-canary-discovery',
      });
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'vllm-canary', namespace: 'argo-rollouts' },
      ]);
    }
    expect(podOf(objects).automountServiceAccountToken).toBe(true);
  });

  it('when rbac.clusterWide is set then one ClusterRole with the same rules is bound', () => {
    const objects = renderChart({ valuesFiles: ['scrape-cluster-wide-values.yaml'] });
    expect(findObject(objects, 'ClusterRole').rules).toEqual(DISCOVERY_RULES);
    expect(findObject(objects, 'ClusterRoleBinding').roleRef).toMatchObject({ kind: 'ClusterRole' });
    expect(objectsOf(objects, 'Role')).toEqual([]);
  });

  it('when rbac.create is false then nothing is granted even with discovery', () => {
    const objects = renderChart({
      valuesFiles: ['scrape-kubernetes-values.yaml'],
      set: ['rbac.create=false'],
    });
    expect(objects.filter((o) => rbacKinds.test(o.kind))).toEqual([]);
  });
});

describe('the NetworkPolicy', () => {
  type Peer = {
    namespaceSelector?: { matchLabels?: Record<string, string> };
    podSelector?: unknown;
    ipBlock?: { cidr: string };
  };
  type Rule = { from?: Peer[]; to?: Peer[]; ports?: { port: number | string; protocol: string }[] };
  const policyOf = (objects: readonly KubeObject[]) =>
    findObject(objects, 'NetworkPolicy').spec as { policyTypes: string[]; ingress: Rule[]; egress: Rule[] };
  const ns = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

  it('when off (the default) then no policy is rendered', () => {
    expect(objectsOf(renderChart({ valuesFiles: ['default-values.yaml'] }), 'NetworkPolicy')).toEqual([]);
  });

  it('when on then ingress reaches only the http port, from the controller and from Prometheus', () => {
    const policy = policyOf(
      renderChart({ valuesFiles: ['default-values.yaml'], set: ['networkPolicy.enabled=true'] }),
    );
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: ns('argo-rollouts'),
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argo-rollouts' } },
          },
          {
            namespaceSelector: ns('monitoring'),
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          },
        ],
        ports: [{ port: 'http', protocol: 'TCP' }],
      },
    ]);
  });

  it('when on with Prometheus then egress goes to DNS, Prometheus and the vLLM ports only', () => {
    const policy = policyOf(
      renderChart({ valuesFiles: ['default-values.yaml'], set: ['networkPolicy.enabled=true'] }),
    );
    expect(policy.egress.map((r) => r.ports)).toEqual([
      [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
      [{ port: 9090, protocol: 'TCP' }],
      [{ port: 8000, protocol: 'TCP' }],
    ]);
    expect(policy.egress[1]!.to).toEqual([
      {
        namespaceSelector: ns('monitoring'),
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      },
    ]);
  });

  it('when discovery is on then egress adds the API server, by CIDR where given, and drops Prometheus', () => {
    const policy = policyOf(renderChart({ valuesFiles: ['scrape-kubernetes-values.yaml'] }));
    expect(policy.egress).toHaveLength(3);
    expect(policy.egress[1]!.to).toEqual([
      { namespaceSelector: ns('llm'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'vllm' } } },
    ]);
    expect(policy.egress[2]).toEqual({
      to: [{ ipBlock: { cidr: '10.96.0.1/32' } }],
      ports: [
        { port: 443, protocol: 'TCP' },
        { port: 6443, protocol: 'TCP' },
      ],
    });
  });

  it('when Prometheus is outside the cluster then its egress goes to the given CIDRs', () => {
    const policy = policyOf(renderChart({ valuesFiles: ['auth-tenant-values.yaml'] }));
    expect(policy.egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '203.0.113.0/24' } }],
      ports: [{ port: 443, protocol: 'TCP' }],
    });
  });
});

describe('the monitors and the dashboard', () => {
  const objects = renderChart({ valuesFiles: ['everything-values.yaml'] });

  it('when the vLLM PodMonitor is read then it copies rollouts-pod-template-hash into rollouts_pod_template_hash', () => {
    const monitor = findObject(objects, 'PodMonitor').spec as {
      namespaceSelector: unknown;
      podMetricsEndpoints: { relabelings: Record<string, unknown>[] }[];
    };
    expect(monitor.namespaceSelector).toEqual({ matchNames: ['llm', 'llm-staging'] });
    expect(monitor.podMetricsEndpoints[0]!.relabelings[0]).toEqual({
      action: 'replace',
      sourceLabels: ['__meta_kubernetes_pod_label_rollouts_pod_template_hash'],
      targetLabel: 'rollouts_pod_template_hash',
    });
  });

  it("when the ServiceMonitor is read then it scrapes the provider's Service on http /metrics", () => {
    const monitor = findObject(objects, 'ServiceMonitor');
    expect(monitor.metadata.namespace).toBe('monitoring');
    expect((monitor.metadata.labels as Record<string, string>).release).toBe('kube-prometheus-stack');
    const spec = monitor.spec as { selector: unknown; endpoints: Record<string, unknown>[] };
    expect(spec.selector).toEqual(deploymentOf(objects).spec.selector);
    expect(spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
  });

  it('when the dashboard ConfigMap is read then the sidecar label is set and the JSON is the generated file', () => {
    const dashboard = findObject(objects, 'ConfigMap', 'canary-judge-dashboard');
    expect((dashboard.metadata.labels as Record<string, string>).grafana_dashboard).toBe('1');
    const json = (dashboard.data as Record<string, string>)['vllm-canary.json']!;
    expect(JSON.parse(json)).toEqual(
      JSON.parse(readFileSync(join(CHART_DIR, 'files', 'dashboard.json'), 'utf8')),
    );
  });
});

describe('the API token', () => {
  it('when generated then it is a 48-character secret and every Rollout namespace gets the same one', () => {
    const objects = renderChart({ valuesFiles: ['auth-tenant-values.yaml'] });
    const secrets = objectsOf(objects, 'Secret');
    const own = secrets.find(
      (s) => s.metadata.name === 'vllm-canary-api-token' && s.metadata.namespace === 'argo-rollouts',
    )!;
    const token = Buffer.from((own.data as Record<string, string>).token!, 'base64').toString();
    expect(token).toMatch(/^[A-Za-z0-9]{48}$/);
    const copies = secrets.filter((s) => s.metadata.namespace !== 'argo-rollouts');
    expect(copies.map((s) => s.metadata.namespace)).toEqual(['llm', 'llm-staging']);
    for (const copy of copies)
      expect((copy.data as Record<string, string>).token).toBe((own.data as Record<string, string>).token);
    expect(configOf(objects).auth).toEqual({ tokenFile: '/var/run/secrets/vllm-canary/api-token/token' });
  });

  it('when an existing Secret is named then no Secret is rendered and its key is mounted', () => {
    const objects = renderChart({ valuesFiles: ['everything-values.yaml'] });
    expect(objectsOf(objects, 'Secret')).toEqual([]);
    expect(podOf(objects).volumes.find((v) => v.name === 'api-token')?.secret).toEqual({
      secretName: 'provider-token',
      items: [{ key: 'api-token', path: 'api-token' }],
    });
  });
});

describe('files named in the configuration', () => {
  /** The volume and key behind a path inside the container, or undefined. */
  function sourceOf(pod: PodSpec, path: string): { volume: Volume; key: string } | undefined {
    const mount = pod.containers[0]!.volumeMounts.find((m) => path.startsWith(`${m.mountPath}/`));
    if (mount === undefined) return undefined;
    const volume = pod.volumes.find((v) => v.name === mount.name)!;
    return { volume, key: path.slice(mount.mountPath.length + 1) };
  }

  it.each([
    [
      'auth-tenant-values.yaml',
      ['source.prometheus.bearerTokenFile', 'source.prometheus.tls.caFile', 'auth.tokenFile'],
    ],
    [
      'everything-values.yaml',
      [
        'source.prometheus.basicAuth.passwordFile',
        'source.prometheus.tls.caFile',
        'auth.tokenFile',
        'quality.apiKeyFile',
        'quality.datasetsDir',
      ],
    ],
  ] as const)(
    'when %s is rendered then each file the configuration names is mounted from its object',
    (file, fields) => {
      const objects = renderChart({ valuesFiles: [file] });
      const config = configOf(objects);
      const pod = podOf(objects);
      for (const field of fields) {
        const path = field
          .split('.')
          .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], config) as string;
        const source = sourceOf(pod, field === 'quality.datasetsDir' ? `${path}/capitals.yaml` : path);
        expect(source, field).toBeDefined();
        const items = source!.volume.secret?.items ?? source!.volume.configMap?.items;
        if (items !== undefined)
          expect(
            items.map((i) => i.path),
            field,
          ).toContain(source!.key);
      }
    },
  );

  it('when datasets are given then the ConfigMap holds them, and the provider loads every one', async () => {
    const objects = renderChart({ valuesFiles: ['everything-values.yaml'] });
    const data = findObject(objects, 'ConfigMap', 'canary-judge-datasets').data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(['capitals.yaml', 'support-faq.yaml']);
    const dir = mkdtempSync(join(tmpdir(), 'vllm-canary-datasets-'));
    for (const [name, text] of Object.entries(data)) writeFileSync(join(dir, name), text);
    expect([...(await loadDatasets(dir)).keys()].sort()).toEqual(['capitals', 'support-faq']);
  });
});

describe('names', () => {
  it('when the release name is long then every name stays within 63 characters', () => {
    const release = 'team-platform-inference-judge-production-eu-west1'; // helm allows 53
    const objects = renderChart({
      valuesFiles: ['everything-values.yaml'],
      set: ['fullnameOverride='],
      release,
    });
    for (const o of objects) expect(o.metadata.name.length, o.metadata.name).toBeLessThanOrEqual(63);
    const fullname = `${release}-vllm-canary`.slice(0, 63).replace(/-+$/, '');
    expect(nameOf(objects)).toBe(fullname);
    expect(
      findObject(objects, 'ConfigMap', `${fullname.slice(0, 62 - 'datasets'.length)}-datasets`),
    ).toBeDefined();
  });

  it('when the release name holds the chart name then the full name is the release name', () => {
    expect(nameOf(renderChart({ valuesFiles: ['default-values.yaml'], release: 'team-vllm-canary' }))).toBe(
      'team-vllm-canary',
    );
    expect(nameOf(renderChart({ valuesFiles: ['default-values.yaml'], release: 'judge' }))).toBe(
      'judge-vllm-canary',
    );
  });
});
