// Lint catches each kind of mistake: a valid generated set of manifests is broken in one way, and lint must report
// that mistake (rule, object, field path, message) and nothing else at error level.
import { describe, expect, it } from 'vitest';
import { renderTemplates } from '../../../analysis-templates/index.js';
import {
  generateManifests,
  lint,
  manifestsToYaml,
  routing,
  type KubeObject,
} from '../../../rollouts/index.js';
import { options, ROUTINGS } from './fixtures.js';
import { upstreamSchemas } from './upstream-schemas.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests reach into manifests
type Router = keyof typeof ROUTINGS;

function objectsFor(
  router: Router,
  header = false,
  extra: Partial<Parameters<typeof options>[0]> = {},
): Obj[] {
  // A JSON copy, so the analysis steps (one object in the generator) can be changed one at a time.
  return JSON.parse(
    JSON.stringify(generateManifests(options({ routing: ROUTINGS[router](header), ...extra }))),
  ) as Obj[];
}

function lintObjects(objects: readonly Obj[]): lint.Finding[] {
  const text = manifestsToYaml(objects as KubeObject[]);
  return [...lint.lintText('manifests.yaml', text, { schemas: upstreamSchemas() }).findings];
}

const errors = (findings: lint.Finding[]) => findings.filter((f) => f.severity === 'error');
const kind = (objects: Obj[], k: string) => objects.find((o) => o.kind === k)!;
const canary = (objects: Obj[]) => kind(objects, 'Rollout').spec.strategy.canary;

function template(name: string, metric: Obj, args: Obj[] = [{ name: 'namespace' }]): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ClusterAnalysisTemplate',
    metadata: { name },
    spec: { args, metrics: [metric] },
  };
}

const GOOD_METRIC = {
  name: 'custom',
  interval: '1m',
  count: 3,
  successCondition: 'result == "pass"',
  failureCondition: 'result == "fail"',
  provider: { web: { url: 'http://x/{{args.namespace}}', jsonPath: '{$.verdict}' } },
};

function useTemplates(objects: Obj[], names: string[]): void {
  canary(objects).steps[1].analysis.templates = names.map((templateName) => ({
    templateName,
    clusterScope: true,
  }));
}

interface Case {
  readonly rule: string;
  readonly path: string;
  readonly message: string | RegExp;
  readonly build: () => Obj[];
}

const CASES: Record<string, Case> = {
  'a misspelt Rollout field': {
    rule: 'schema',
    path: 'spec.strategy.canary.canaryServce',
    message: 'is not a field of this kind (unknown field)',
    build: () => {
      const o = objectsFor('gateway-api');
      canary(o).canaryServce = canary(o).canaryService;
      return o;
    },
  },
  'a Service port written as a name': {
    rule: 'schema',
    path: 'spec.ports[0].port',
    message: 'must be integer',
    build: () => {
      const o = objectsFor('nginx');
      kind(o, 'Service').spec.ports[0].port = 'http';
      return o;
    },
  },
  'an upper-case object name': {
    rule: 'metadata',
    path: 'metadata.name',
    message: '"Llama-Monitor" is not a DNS-1123 name',
    build: () => {
      const o = objectsFor('istio');
      kind(o, 'PodMonitor').metadata.name = 'Llama-Monitor';
      return o;
    },
  },
  'a GPU request that differs from its limit': {
    rule: 'pod-template',
    path: 'spec.template.spec.containers[0].resources.requests.nvidia.com/gpu',
    message: 'nvidia.com/gpu request 2 differs from its limit 1',
    build: () => {
      const o = objectsFor('gateway-api');
      kind(o, 'Rollout').spec.template.spec.containers[0].resources.requests = { 'nvidia.com/gpu': 2 };
      return o;
    },
  },
  'a misspelt template name': {
    rule: 'template-ref',
    path: 'spec.strategy.canary.steps[1].analysis.templates[0].templateName',
    message: 'ClusterAnalysisTemplate "vllm-latncy" is neither in the given files nor in the library',
    build: () => {
      const o = objectsFor('gateway-api');
      useTemplates(o, ['vllm-latncy']);
      return o;
    },
  },
  'a namespaced template referenced with clusterScope': {
    rule: 'template-ref',
    path: 'spec.strategy.canary.steps[1].analysis.templates[0].templateName',
    message: 'ClusterAnalysisTemplate "team-check" is neither in the given files nor in the library',
    build: () => {
      const o = objectsFor('gateway-api');
      o.push({
        ...template('team-check', GOOD_METRIC),
        kind: 'AnalysisTemplate',
        metadata: { name: 'team-check', namespace: 'llm' },
      });
      useTemplates(o, ['team-check']);
      return o;
    },
  },
  'a required arg the Rollout does not pass': {
    rule: 'template-args',
    path: 'spec.strategy.canary.steps[1].analysis.args',
    message: 'template vllm-canary-health needs arg "stable-hash" and the Rollout does not pass it',
    build: () => {
      const o = objectsFor('nginx');
      const a = canary(o).steps[1].analysis;
      a.args = a.args.filter((x: Obj) => x.name !== 'stable-hash');
      return o;
    },
  },
  'templates whose shared arg defaults differ': {
    rule: 'template-merge',
    path: 'spec.strategy.canary.steps[1].analysis.templates[1]',
    message: 'arg "window" defaults to "5m" in vllm-latency but "10m" in slow-check: Argo refuses the merge',
    build: () => {
      const o = objectsFor('gateway-api');
      o.push(template('slow-check', GOOD_METRIC, [{ name: 'namespace' }, { name: 'window', value: '10m' }]));
      useTemplates(o, ['vllm-latency', 'slow-check']);
      return o;
    },
  },
  'two templates with a metric of the same name': {
    rule: 'template-merge',
    path: 'spec.strategy.canary.steps[1].analysis.templates[1]',
    message:
      'metric "latency" is in both vllm-latency and my-latency: Argo refuses two metrics with the same name',
    build: () => {
      const o = objectsFor('gateway-api');
      o.push(template('my-latency', { ...GOOD_METRIC, name: 'latency' }));
      useTemplates(o, ['vllm-latency', 'my-latency']);
      return o;
    },
  },
  'a never-ending metric in an inline analysis step': {
    rule: 'inline-count',
    path: 'spec.strategy.canary.steps[1].analysis.templates[0]',
    message:
      'metric "custom" of endless has an interval and no count, so the blocking analysis step never ends',
    build: () => {
      const o = objectsFor('istio');
      const { count: _c, ...endless } = GOOD_METRIC;
      o.push(template('endless', endless));
      useTemplates(o, ['endless']);
      return o;
    },
  },
  'background analysis starting at a missing step': {
    rule: 'analysis-starting-step',
    path: 'spec.strategy.canary.analysis.startingStep',
    message: 'step 99 does not exist (the Rollout has 6 steps), so the background analysis never starts',
    build: () => {
      const o = objectsFor('nginx', false, { analysis: { mode: 'background' } });
      canary(o).analysis.startingStep = 99;
      return o;
    },
  },
  'a falling weight': {
    rule: 'weights',
    path: 'spec.strategy.canary.steps[4].setWeight',
    message: 'weights must rise: 20 follows 30 (step 2)',
    build: () => {
      const o = objectsFor('gateway-api');
      canary(o).steps[4].setWeight = 20;
      return o;
    },
  },
  'a setHeaderRoute step with NGINX': {
    rule: 'header-routes',
    path: 'spec.strategy.canary.steps[0].setHeaderRoute',
    message: 'setHeaderRoute does nothing with NGINX (Argo refuses it)',
    build: () => {
      const o = objectsFor('nginx');
      canary(o).steps.unshift({
        setHeaderRoute: { name: 'h', match: [{ headerName: 'X', headerValue: { exact: 'y' } }] },
      });
      return o;
    },
  },
  'a header route without managedRoutes': {
    rule: 'header-routes',
    path: 'spec.strategy.canary.trafficRouting',
    message: 'step 1 uses setHeaderRoute but trafficRouting.managedRoutes is missing',
    build: () => {
      const o = objectsFor('istio', true);
      delete canary(o).trafficRouting.managedRoutes;
      return o;
    },
  },
  'a header route the gatewayAPI plugin ignores': {
    rule: 'header-routes',
    path: 'spec.strategy.canary.trafficRouting.plugins.argoproj-labs/gatewayAPI',
    message: 'setHeaderRoute needs a route with useHeaderRoutes: true, or the plugin ignores it',
    build: () => {
      const o = objectsFor('gateway-api', true);
      canary(o).trafficRouting.plugins['argoproj-labs/gatewayAPI'] = { httpRoute: 'llama', namespace: 'llm' };
      return o;
    },
  },
  'a mirror route without Istio': {
    rule: 'header-routes',
    path: 'spec.strategy.canary.steps[0].setMirrorRoute',
    message: 'setMirrorRoute needs Istio traffic routing',
    build: () => {
      const o = objectsFor('gateway-api');
      canary(o).steps.unshift({ setMirrorRoute: { name: 'm', percentage: 10 } });
      return o;
    },
  },
  'an unknown field in the gatewayAPI plugin block': {
    rule: 'plugin-config',
    path: 'spec.strategy.canary.trafficRouting.plugins.argoproj-labs/gatewayAPI.httproute',
    message: 'is not a field of the argoproj-labs/gatewayAPI plugin',
    build: () => {
      const o = objectsFor('gateway-api');
      const config = canary(o).trafficRouting.plugins['argoproj-labs/gatewayAPI'];
      config.httproute = config.httpRoute;
      return o;
    },
  },
  'an HTTPRoute that does not list the canary Service': {
    rule: 'route-backends',
    path: 'spec.rules',
    message:
      'no rule lists both the stable Service "llama-stable" and the canary Service "llama-canary" of Rollout llama as backendRefs',
    build: () => {
      const o = objectsFor('gateway-api');
      kind(o, 'HTTPRoute').spec.rules[0].backendRefs[1].name = 'llama-preview';
      return o;
    },
  },
  'a stable Ingress pointing at another Service': {
    rule: 'route-backends',
    path: 'spec.rules',
    message: 'no path sends traffic to the stable Service "llama-stable" of Rollout llama',
    build: () => {
      const o = objectsFor('nginx');
      kind(o, 'Ingress').spec.rules[0].http.paths[0].backend.service.name = 'llama-old';
      return o;
    },
  },
  'a VirtualService route without the canary subset': {
    rule: 'route-backends',
    path: 'spec.http[0].route',
    message: 'route "primary" lacks a destination with subset "canary" of Rollout llama',
    build: () => {
      const o = objectsFor('istio');
      kind(o, 'VirtualService').spec.http[0].route[1].destination.subset = 'preview';
      return o;
    },
  },
  'a Service selecting labels the pods lack': {
    rule: 'services',
    path: 'spec.selector.app',
    message: 'selects app=llama, which the pods of Rollout llama do not carry',
    build: () => {
      const o = objectsFor('gateway-api');
      kind(o, 'Service').spec.selector = { app: 'llama' };
      return o;
    },
  },
  'the same Service as canary and stable': {
    rule: 'services',
    path: 'spec.strategy.canary.stableService',
    message: 'is the same Service as canaryService',
    build: () => {
      const o = objectsFor('nginx');
      canary(o).stableService = canary(o).canaryService;
      kind(o, 'Ingress').spec.rules[0].http.paths[0].backend.service.name = 'llama-canary';
      return o;
    },
  },
  'a template with only a success condition': {
    rule: 'conditions',
    path: 'spec.metrics[0].failureCondition',
    message: /^is not set: with only one condition Argo never answers Inconclusive/,
    build: () => {
      const { failureCondition: _f, ...metric } = GOOD_METRIC;
      return [template('half', metric)];
    },
  },
  'default() around result[0]': {
    rule: 'condition-default',
    path: 'spec.metrics[0].successCondition',
    message: 'default(result[...], x) returns the whole result, not result[...], unless the result is nil',
    build: () => [
      template('defaulted', { ...GOOD_METRIC, successCondition: 'default(result[0], 0) < 0.05' }),
    ],
  },
  'a count without an interval': {
    rule: 'metric-limits',
    path: 'spec.metrics[0].count',
    message: 'count 3 needs an interval',
    build: () => {
      const { interval: _i, ...metric } = GOOD_METRIC;
      return [template('burst', metric)];
    },
  },
  'a count below the inconclusive limit': {
    rule: 'metric-limits',
    path: 'spec.metrics[0].count',
    message: 'count (3) must be >= inconclusiveLimit (4)',
    build: () => [template('loose', { ...GOOD_METRIC, inconclusiveLimit: 4 })],
  },
  'a jsonBody sent with GET': {
    rule: 'web-provider',
    path: 'spec.metrics[0].provider.web.jsonBody',
    message: 'a body is only sent with POST or PUT: every measurement errors with GET',
    build: () => [
      template('getbody', {
        ...GOOD_METRIC,
        provider: { web: { ...GOOD_METRIC.provider.web, jsonBody: { a: 1 } } },
      }),
    ],
  },
  'an arg the template does not declare': {
    rule: 'unresolved-arg',
    path: 'spec.metrics[0].provider.web.url',
    message: '{{args.model}} names no arg of this template, so the AnalysisRun fails to resolve it',
    build: () => [
      template('undeclared', {
        ...GOOD_METRIC,
        provider: { web: { url: 'http://x/{{args.model}}', jsonPath: '{$.verdict}' } },
      }),
    ],
  },
};

describe('lint', () => {
  it.each(['gateway-api', 'nginx', 'istio'] as const)(
    'when the generated %s manifests are linted then nothing is found',
    (router) => {
      expect(lintObjects(objectsFor(router, true)).map(lint.formatFinding)).toEqual([]);
    },
  );

  it('when the library templates are linted with the manifests then nothing is found', () => {
    const findings = lintObjects([...objectsFor('istio'), ...(renderTemplates() as unknown as Obj[])]);
    expect(findings.map(lint.formatFinding)).toEqual([]);
  });

  it.each(Object.entries(CASES))('when a manifest has %s then lint reports it', (_label, c) => {
    const found = errors(lintObjects(c.build()));
    expect(found.map((f) => ({ rule: f.rule, path: f.path }))).toEqual([{ rule: c.rule, path: c.path }]);
    expect(found[0]!.message).toMatch(c.message);
    expect(found[0]!.fix.length).toBeGreaterThan(5);
  });

  it('when there are at least ten kinds of mistakes then each has a case here', () => {
    expect(new Set(Object.values(CASES).map((c) => c.rule)).size).toBeGreaterThanOrEqual(15);
  });

  it('when a finding is printed then it names file, line, object, field and fix', () => {
    const o = objectsFor('gateway-api');
    canary(o).steps[4].setWeight = 20;
    const [f] = errors(lintObjects(o));
    expect(lint.formatFinding(f!)).toMatch(
      /^manifests\.yaml:\d+:\d+: error \[weights\] Rollout\/llama: spec\.strategy\.canary\.steps\[4\]\.setWeight: weights must rise: 20 follows 30 \(step 2\)\. Fix: order the setWeight steps/,
    );
    const text = manifestsToYaml(o as KubeObject[]).split('\n');
    expect(text[f!.line - 1]).toContain('setWeight: 20');
  });

  it('when a kind is unknown then it is a warning, not an error', () => {
    const findings = lintObjects([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
    expect(findings.map((f) => [f.severity, f.rule])).toEqual([['warning', 'unknown-kind']]);
  });

  it('when a file is not YAML then it is an error naming the line', () => {
    const result = lint.lintText('broken.yaml', 'kind: Rollout\nmetadata: [a\n');
    expect(result.errors).toBe(1);
    expect(result.findings[0]).toMatchObject({ rule: 'yaml', file: 'broken.yaml' });
  });

  it('when the route objects are not given then lint says it could not check them', () => {
    const o = objectsFor('istio').filter((x) => x.kind === 'Rollout');
    const findings = lintObjects(o);
    expect(errors(findings)).toEqual([]);
    expect(findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['route-backends', 'services']));
  });

  it('when routing is host-level Istio then the destinations must be the canary and stable Services', () => {
    const o = structuredClone(
      generateManifests(options({ routing: routing.istio({ mode: 'host' }) })),
    ) as Obj[];
    kind(o, 'VirtualService').spec.http[0].route[0].destination.host = 'llama';
    expect(errors(lintObjects(o)).map((f) => f.message)).toEqual([
      'route "primary" lacks a destination with host "llama-stable" of Rollout llama',
    ]);
  });
});
