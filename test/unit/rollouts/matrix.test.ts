// Every object the generator can emit, over a matrix of options (3 routers x header route x inline/background
// analysis x manual gate, plus Istio host level and mirroring), validates against the upstream schemas of its kind
// (CRDs from ../shared/crds when present; core kinds from kubernetes-models) and passes lint.
import { describe, expect, it } from 'vitest';
import {
  generateManifests,
  lint,
  manifestsToYaml,
  routing,
  type RolloutOptions,
} from '../../../rollouts/index.js';
import { options, ROUTINGS } from './fixtures.js';
import { schemaProblems, upstreamSchemas } from './upstream-schemas.js';

const cases: [string, RolloutOptions][] = [];
for (const router of ['gateway-api', 'nginx', 'istio'] as const)
  for (const header of [false, true])
    for (const mode of ['inline', 'background'] as const)
      for (const manualGate of [false, true])
        cases.push([
          `${router}, header ${header ? 'on' : 'off'}, ${mode} analysis, gate ${manualGate ? 'on' : 'off'}`,
          options({
            routing: ROUTINGS[router](header),
            analysis: {
              mode,
              templates:
                mode === 'inline'
                  ? ['vllm-canary-health']
                  : ['vllm-latency', 'vllm-error-ratio', 'vllm-prom-kv-cache'],
            },
            steps: { manualGate },
          }),
        ]);
cases.push(
  [
    'istio host level with mirroring',
    options({
      routing: routing.istio({
        mode: 'host',
        mirror: { percentage: 10 },
        headerRoute: { header: 'X-Canary', value: 'v', match: 'prefix' },
      }),
    }),
  ],
  [
    'istio with gateways and hosts',
    options({ routing: routing.istio({ gateways: ['istio-system/gw'], hosts: ['llm.example.com'] }) }),
  ],
  [
    'gateway api with hostnames, section and arm64 plugin',
    options({
      routing: routing.gatewayApi({
        gateway: { name: 'g', sectionName: 'https' },
        hostnames: ['a.example.com'],
        pluginArch: 'linux-arm64',
      }),
    }),
  ],
  [
    'no analysis, no GPU, one replica, no PodMonitor',
    options({
      analysis: { mode: 'none' },
      resources: { gpus: 0 },
      replicas: 1,
      podMonitor: { enabled: false },
    }),
  ],
  [
    'every template inline with args',
    options({
      analysis: {
        templates: [
          'vllm-latency',
          'vllm-ttft',
          'vllm-itl',
          'vllm-error-ratio',
          'vllm-kv-cache',
          'vllm-queue',
          'vllm-quality',
        ],
        args: { 'latency-max': '30', window: '10m' },
      },
      steps: { weights: [5, 20, 50, 100], pause: '2m' },
    }),
  ],
  [
    'namespaced templates, background from step 2',
    options({ analysis: { mode: 'background', clusterScope: false, startingStep: 2 } }),
  ],
);

describe('every object generate can emit', () => {
  it.each(cases)('when %s then every object matches its upstream schema', (_label, props) => {
    const objects = generateManifests(props);
    expect(schemaProblems(objects)).toEqual([]);
  });

  it.each(cases)('when %s then lint finds no error', (_label, props) => {
    const result = lint.lintText('generated.yaml', manifestsToYaml(generateManifests(props)), {
      schemas: upstreamSchemas(),
    });
    expect(result.findings.filter((f) => f.severity === 'error').map(lint.formatFinding)).toEqual([]);
  });
});
