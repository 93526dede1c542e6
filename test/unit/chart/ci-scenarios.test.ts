// Real `helm lint --strict` and `helm template` over every ci/*-values.yaml scenario; every rendered object is
// validated against its kind's schema, and the provider configuration the chart renders is loaded by the provider's
// own configuration loader.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../metrics-provider/config/index.js';
import { CI_VALUES_DIR, findObject, helmLint, renderChart, type KubeObject } from './helm.js';
import { HAS_SHARED_CRDS, SHARED_CRDS, chartSchemas, objectProblems } from './manifest-schemas.js';

/** What each scenario must render: object counts by kind. */
const SCENARIOS: Record<string, Record<string, number>> = {
  'default-values.yaml': {
    ClusterAnalysisTemplate: 11,
    ConfigMap: 1,
    Deployment: 1,
    PodDisruptionBudget: 1,
    Service: 1,
    ServiceAccount: 1,
  },
  'minimal-values.yaml': { ConfigMap: 1, Deployment: 1, Service: 1 },
  'scrape-kubernetes-values.yaml': {
    ClusterAnalysisTemplate: 11,
    ConfigMap: 1,
    Deployment: 1,
    NetworkPolicy: 1,
    PodDisruptionBudget: 1,
    Role: 2,
    RoleBinding: 2,
    Service: 1,
    ServiceAccount: 1,
  },
  'scrape-cluster-wide-values.yaml': {
    ClusterAnalysisTemplate: 11,
    ClusterRole: 1,
    ClusterRoleBinding: 1,
    ConfigMap: 1,
    Deployment: 1,
    PodDisruptionBudget: 1,
    Service: 1,
    ServiceAccount: 1,
  },
  'auth-tenant-values.yaml': {
    ClusterAnalysisTemplate: 11,
    ConfigMap: 1,
    Deployment: 1,
    NetworkPolicy: 1,
    PodDisruptionBudget: 1,
    Secret: 3,
    Service: 1,
    ServiceAccount: 1,
  },
  'everything-values.yaml': {
    AnalysisTemplate: 22,
    ClusterAnalysisTemplate: 11,
    ConfigMap: 3,
    Deployment: 1,
    NetworkPolicy: 1,
    PodDisruptionBudget: 1,
    PodMonitor: 1,
    Service: 1,
    ServiceAccount: 1,
    ServiceMonitor: 1,
  },
};

function kindCounts(objects: readonly KubeObject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return counts;
}

const scenarioFiles = Object.keys(SCENARIOS);

describe('the ci values scenarios', () => {
  it('when the ci folder is listed then every file is a scenario of this table', () => {
    expect(readdirSync(CI_VALUES_DIR).sort()).toEqual([...scenarioFiles].sort());
  });

  it(`when CRD kinds are validated then the schemas come from ${HAS_SHARED_CRDS ? 'the upstream CRDs in ../shared/crds' : 'the committed extract (../shared/crds is absent here)'}`, () => {
    expect(chartSchemas().origin).toContain(HAS_SHARED_CRDS ? SHARED_CRDS : 'packaged');
  });

  it('when rendered objects are broken on purpose then the validator names each problem (it is not a no-op)', () => {
    const objects = renderChart({ valuesFiles: ['everything-values.yaml'] });
    const broken = (kind: string, change: (spec: Record<string, unknown>) => void) => {
      const copy = structuredClone(findObject(objects, kind));
      change(copy.spec as Record<string, unknown>);
      return objectProblems(copy).join('\n');
    };
    expect(broken('PodMonitor', (s) => (s.podMetricsEndpoint = []))).toMatch(
      /podMetricsEndpoint .*unknown field/,
    );
    expect(broken('ClusterAnalysisTemplate', (s) => (s.metrics = 'none'))).toMatch(/metrics/);
    expect(broken('Deployment', (s) => (s.replicas = 'two'))).toMatch(/replicas must be integer/);
    expect(broken('NetworkPolicy', (s) => (s.policyTypes = 'Ingress'))).toMatch(/policyTypes must be array/);
  });

  describe.each(scenarioFiles)('%s', (file) => {
    it('when linted with helm lint --strict then it passes with no warning or error', () => {
      const result = helmLint({ valuesFiles: [file] });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
      expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    });

    const objects = renderChart({ valuesFiles: [file] });

    it('when rendered then it holds exactly the expected objects', () => {
      expect(kindCounts(objects)).toEqual(SCENARIOS[file]);
    });

    it('when every object is validated against its schema then none has a problem', () => {
      expect(objects.flatMap(objectProblems)).toEqual([]);
    });

    it('when the objects are listed then each name is unique within its kind and namespace', () => {
      const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('when the labels are read then every object names the release and the chart', () => {
      for (const o of objects) {
        const labels = (o.metadata.labels ?? {}) as Record<string, string>;
        expect(labels['app.kubernetes.io/instance'], `${o.kind} ${o.metadata.name}`).toBe('vllm-canary');
        expect(labels['helm.sh/chart'], `${o.kind} ${o.metadata.name}`).toMatch(/^vllm-canary-\d+\.\d+\.\d+/);
      }
    });

    it("when the ConfigMap's config.yaml is loaded by the provider's own loader then it is valid", () => {
      const configMap = objects.find(
        (o) => o.kind === 'ConfigMap' && (o.data as Record<string, string> | undefined)?.['config.yaml'],
      )!;
      const dir = mkdtempSync(join(tmpdir(), 'vllm-canary-chart-config-'));
      const path = join(dir, 'config.yaml');
      writeFileSync(path, (configMap.data as Record<string, string>)['config.yaml']!);
      const config = loadConfig(path);
      expect(config.server.port).toBe(8080);
      // The one scenario that sets provider.workers passes it through.
      expect(config.server.workers).toBe(file === 'everything-values.yaml' ? 2 : 1);
      const deployment = findObject(objects, 'Deployment');
      const container = (deployment.spec as { template: { spec: { containers: { args: string[] }[] } } })
        .template.spec.containers[0]!;
      expect(container.args).toEqual(['serve', '--config', '/etc/vllm-canary/config.yaml']);
    });
  });
});
