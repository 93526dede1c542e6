// The templates `helm template` installs are the library's own, rendered for the release: the provider URL of the
// release's Service, the token Secret of the values, and the release's labels; nothing else differs, and Argo's
// {{args.x}} placeholders pass through Helm untouched.
import { describe, expect, it } from 'vitest';
import {
  renderTemplates,
  renderTemplatesYaml,
  templateNames,
  type RenderOptions,
} from '../../../analysis-templates/index.js';
import { helmTemplate, objectsOf, parseManifests, renderChart, type ChartInput } from './helm.js';

const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';
const CLUSTER_SOURCE = '# Source: vllm-canary/templates/analysis-templates/cluster.yaml\n';

/** The labels the chart adds to the library's own. */
function releaseLabels(release: string, common: Record<string, string> = {}): Record<string, string> {
  return {
    'helm.sh/chart': 'vllm-canary-0.1.0',
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/version': '0.1.0',
    'app.kubernetes.io/part-of': 'vllm-canary',
    'app.kubernetes.io/managed-by': 'Helm',
    ...common,
  };
}

const CASES: readonly {
  when: string;
  input: ChartInput;
  options: RenderOptions;
  commonLabels?: Record<string, string>;
}[] = [
  {
    when: 'the defaults in argo-rollouts',
    input: { valuesFiles: ['default-values.yaml'] },
    options: { providerUrl: 'http://vllm-canary.argo-rollouts.svc:8080', prometheusUrl: PROMETHEUS },
  },
  {
    when: 'release canary-judge in ml-platform',
    input: { valuesFiles: ['default-values.yaml'], release: 'canary-judge', namespace: 'ml-platform' },
    options: {
      providerUrl: 'http://canary-judge-vllm-canary.ml-platform.svc:8080',
      prometheusUrl: PROMETHEUS,
    },
  },
  {
    when: 'fullnameOverride and another Service port',
    input: { valuesFiles: ['default-values.yaml'], set: ['fullnameOverride=judge', 'service.port=9000'] },
    options: { providerUrl: 'http://judge.argo-rollouts.svc:9000', prometheusUrl: PROMETHEUS },
  },
  {
    when: 'an explicit provider URL and a scrape source',
    input: {
      valuesFiles: ['scrape-cluster-wide-values.yaml'],
      set: ['analysisTemplates.providerUrl=https://vllm-canary.example/'],
    },
    options: {
      providerUrl: 'https://vllm-canary.example',
      prometheusUrl: 'http://prometheus-operated.monitoring.svc:9090',
    },
  },
  {
    when: 'auth with a generated token',
    input: { valuesFiles: ['auth-tenant-values.yaml'] },
    options: {
      providerUrl: 'http://vllm-canary.argo-rollouts.svc:8080',
      prometheusUrl: 'https://mimir.example/prometheus',
      auth: { mode: 'bearer', secretName: 'vllm-canary-api-token', secretKey: 'token' },
    },
  },
  {
    when: 'auth with the template Secret renamed',
    input: { valuesFiles: ['everything-values.yaml'] },
    options: {
      providerUrl: 'http://canary-judge.argo-rollouts.svc:8080',
      prometheusUrl: PROMETHEUS,
      auth: { mode: 'bearer', secretName: 'canary-judge-token', secretKey: 'api-token' },
    },
    commonLabels: { team: 'platform' },
  },
];

describe.each(CASES)('the ClusterAnalysisTemplates, with $when', ({ input, options, commonLabels }) => {
  const release = input.release ?? 'vllm-canary';
  const labels = releaseLabels(release, commonLabels);
  const result = helmTemplate(input);
  const objects = parseManifests(result.stdout);
  const installed = objectsOf(objects, 'ClusterAnalysisTemplate');
  /** The documents of templates/analysis-templates/cluster.yaml in helm's output, without the Source line. */
  const clusterDocs = result.stdout
    .split('---\n')
    .filter((doc) => doc.startsWith(CLUSTER_SOURCE))
    .map((doc) => doc.slice(CLUSTER_SOURCE.length));

  it('when rendered then every library template is there, in the library order', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(installed.map((t) => t.metadata.name)).toEqual(templateNames());
  });

  it('when compared with the library rendered for this release then each object is equal', () => {
    const expected = renderTemplates({ ...options, labels });
    expect(installed).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it("when the release's labels are taken out then the text is the library's, byte for byte", () => {
    const labelLines = new RegExp(
      `^    (${Object.keys(labels)
        .map((k) => k.replace(/[./]/g, '\\$&'))
        .join('|')}): .*\\n`,
      'gm',
    );
    const chartDocs = clusterDocs.map((doc) => doc.replace(labelLines, '').trim());
    const libraryDocs = renderTemplatesYaml(options)
      .split(/^---\n/m)
      .map((doc) => doc.trim());
    expect(chartDocs).toEqual(libraryDocs);
  });

  it("when Argo's placeholders are counted then Helm kept every {{args.x}}", () => {
    const count = (text: string) => text.match(/\{\{args\.[a-z-]+\}\}/g)?.length ?? 0;
    const installedText = clusterDocs.join('');
    expect(count(installedText)).toBe(count(renderTemplatesYaml(options)));
    expect(count(installedText)).toBeGreaterThan(50);
  });
});

describe('the namespaced AnalysisTemplates', () => {
  const objects = renderChart({
    valuesFiles: ['default-values.yaml'],
    set: ['analysisTemplates.namespaces={llm,llm-staging}', 'analysisTemplates.clusterScoped.enabled=false'],
  });

  it('when namespaces are listed then each gets the library templates as namespaced AnalysisTemplates', () => {
    expect(objectsOf(objects, 'ClusterAnalysisTemplate')).toEqual([]);
    for (const namespace of ['llm', 'llm-staging']) {
      const installed = objectsOf(objects, 'AnalysisTemplate').filter(
        (o) => o.metadata.namespace === namespace,
      );
      const expected = renderTemplates({
        providerUrl: 'http://vllm-canary.argo-rollouts.svc:8080',
        prometheusUrl: PROMETHEUS,
        clusterScope: false,
        namespace,
        labels: releaseLabels('vllm-canary'),
      });
      expect(installed).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });
});

describe('turning the templates off', () => {
  it('when clusterScoped.enabled is false and no namespace is listed then no template is rendered', () => {
    const objects = renderChart({ valuesFiles: ['minimal-values.yaml'] });
    expect(objects.filter((o) => /AnalysisTemplate$/.test(o.kind))).toEqual([]);
  });
});
