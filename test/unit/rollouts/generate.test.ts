// The generator's output for each router: the Rollout's pod template, steps and analysis, the Services, the routing
// objects and the PodMonitor, checked field by field.
import { describe, expect, it } from 'vitest';
import { generateManifests, routing, type KubeObject } from '../../../rollouts/index.js';
import { options, ROUTINGS } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into nested manifest fields
type Obj = Record<string, any>;
const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name)) as Obj;
const canaryOf = (objects: KubeObject[]) => find(objects, 'Rollout').spec.strategy.canary;

describe('the vLLM pod template', () => {
  const rollout = find(generateManifests(options({ resources: { gpus: 2, memory: '48Gi' } })), 'Rollout');
  const container = rollout.spec.template.spec.containers[0];

  it('when generated then vLLM serves on port 8000 with probes on /health', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
      expect(container[probe].httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.args.slice(0, 6)).toEqual([
      '--model',
      'meta-llama/Llama-3.1-8B-Instruct',
      '--served-model-name',
      'llama-3-8b',
      '--port',
      '8000',
    ]);
  });

  it('when generated then the pods carry prometheus.io annotations on port 8000 and GPU limits', () => {
    expect(rollout.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8000',
      'prometheus.io/path': '/metrics',
    });
    expect(container.resources.limits).toEqual({ memory: '48Gi', 'nvidia.com/gpu': 2 });
  });
});

describe('steps and analysis', () => {
  it('when defaults are used then weights 10, 30, 60 each get a blocking analysis and 100 is left to promotion', () => {
    const steps = canaryOf(generateManifests(options())).steps;
    expect(steps.map((s: object) => Object.keys(s)[0])).toEqual([
      'setWeight',
      'analysis',
      'setWeight',
      'analysis',
      'setWeight',
      'analysis',
    ]);
    expect(
      steps
        .filter((s: { setWeight?: number }) => s.setWeight !== undefined)
        .map((s: { setWeight: number }) => s.setWeight),
    ).toEqual([10, 30, 60]);
    expect(steps[1].analysis).toEqual({
      templates: [{ templateName: 'vllm-canary-health', clusterScope: true }],
      args: [
        { name: 'namespace', value: 'llm' },
        { name: 'model', value: 'llama-3-8b' },
        { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
        { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
      ],
    });
  });

  it('when background analysis is asked then one analysis starts at the first weight and pauses hold each weight', () => {
    const canary = canaryOf(
      generateManifests(options({ analysis: { mode: 'background', templates: ['vllm-latency'] } })),
    );
    expect(canary.analysis.startingStep).toBe(0);
    expect(canary.analysis.templates).toEqual([{ templateName: 'vllm-latency', clusterScope: true }]);
    expect(canary.steps).toEqual([
      { setWeight: 10 },
      { pause: { duration: '5m' } },
      { setWeight: 30 },
      { pause: { duration: '5m' } },
      { setWeight: 60 },
      { pause: { duration: '5m' } },
    ]);
  });

  it('when a manual gate is asked then the last step is an indefinite pause', () => {
    const steps = canaryOf(generateManifests(options({ steps: { manualGate: true } }))).steps;
    expect(steps.at(-1)).toEqual({ pause: {} });
  });

  it('when templates are namespaced and args given then the refs drop clusterScope and the args follow', () => {
    const steps = canaryOf(
      generateManifests(
        options({
          analysis: { clusterScope: false, templates: ['vllm-latency'], args: { 'latency-max': '30' } },
        }),
      ),
    ).steps;
    expect(steps[1].analysis.templates).toEqual([{ templateName: 'vllm-latency' }]);
    expect(steps[1].analysis.args.at(-1)).toEqual({ name: 'latency-max', value: '30' });
  });

  it('when analysis is none then the steps are the weights alone', () => {
    expect(canaryOf(generateManifests(options({ analysis: { mode: 'none' } }))).steps).toEqual([
      { setWeight: 10 },
      { setWeight: 30 },
      { setWeight: 60 },
    ]);
  });
});

describe('Gateway API', () => {
  const objects = generateManifests(options({ routing: ROUTINGS['gateway-api'](true) }));

  it('when generated then the HTTPRoute lists stable and canary Services and the plugin names it', () => {
    expect(find(objects, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([
      { kind: 'Service', name: 'llama-stable', port: 8000, weight: 100 },
      { kind: 'Service', name: 'llama-canary', port: 8000, weight: 0 },
    ]);
    expect(canaryOf(objects).trafficRouting).toEqual({
      managedRoutes: [{ name: 'canary-by-header' }],
      plugins: {
        'argoproj-labs/gatewayAPI': {
          httpRoutes: [{ name: 'llama', useHeaderRoutes: true }],
          namespace: 'llm',
        },
      },
    });
  });

  it('when a header route is asked then setHeaderRoute follows the first weight', () => {
    expect(canaryOf(objects).steps[1]).toEqual({
      setHeaderRoute: {
        name: 'canary-by-header',
        match: [{ headerName: 'X-Canary', headerValue: { exact: 'always' } }],
      },
    });
  });

  it('when generated then the plugin is registered and the controller may update httproutes', () => {
    const config = find(objects, 'ConfigMap', 'argo-rollouts-config');
    expect(config.metadata.namespace).toBe('argo-rollouts');
    expect(config.data.trafficRouterPlugins).toContain('name: "argoproj-labs/gatewayAPI"');
    expect(config.data.trafficRouterPlugins).toContain(
      '/releases/download/v0.15.0/gatewayapi-plugin-linux-amd64',
    );
    expect(find(objects, 'ClusterRole').rules[1]).toEqual({
      apiGroups: ['gateway.networking.k8s.io'],
      resources: ['httproutes'],
      verbs: ['get', 'list', 'watch', 'update', 'patch'],
    });
    expect(find(objects, 'ClusterRoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'argo-rollouts', namespace: 'argo-rollouts' },
    ]);
  });

  it('when the plugin is already installed then no ConfigMap or RBAC is emitted', () => {
    const kinds = generateManifests(
      options({ routing: routing.gatewayApi({ gateway: { name: 'g' }, installPlugin: false }) }),
    ).map((o) => o.kind);
    expect(kinds).toEqual(['Rollout', 'Service', 'Service', 'HTTPRoute', 'PodMonitor']);
  });
});

describe('NGINX', () => {
  const objects = generateManifests(options({ routing: ROUTINGS.nginx(true) }));

  it('when generated then the stable Ingress points at the stable Service', () => {
    expect(find(objects, 'Ingress').spec.rules[0].http.paths[0].backend).toEqual({
      service: { name: 'llama-stable', port: { number: 8000 } },
    });
  });

  it('when a header route is asked then it is a canary-by-header annotation and no setHeaderRoute step', () => {
    expect(canaryOf(objects).trafficRouting).toEqual({
      nginx: {
        stableIngress: 'llama',
        additionalIngressAnnotations: { 'canary-by-header': 'X-Canary', 'canary-by-header-value': 'always' },
      },
    });
    expect(JSON.stringify(canaryOf(objects).steps)).not.toContain('setHeaderRoute');
  });

  it('when the header matches by regex then canary-by-header-pattern is used', () => {
    const r = routing.nginx({
      host: 'h.example.com',
      headerRoute: { header: 'X-Canary', value: 'yes|true', match: 'regex' },
    });
    expect(
      canaryOf(generateManifests(options({ routing: r }))).trafficRouting.nginx.additionalIngressAnnotations,
    ).toEqual({
      'canary-by-header': 'X-Canary',
      'canary-by-header-pattern': 'yes|true',
    });
  });
});

describe('Istio', () => {
  it('when subset level then one root Service, a DestinationRule and subset destinations are emitted', () => {
    const objects = generateManifests(options({ routing: ROUTINGS.istio() }));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Rollout/llama',
      'Service/llama',
      'Service/llama-stable',
      'Service/llama-canary',
      'VirtualService/llama',
      'DestinationRule/llama',
      'PodMonitor/llama',
    ]);
    expect(
      find(objects, 'VirtualService').spec.http[0].route.map(
        (r: { destination: { subset: string } }) => r.destination.subset,
      ),
    ).toEqual(['stable', 'canary']);
    expect(canaryOf(objects).trafficRouting.istio.destinationRule).toEqual({
      name: 'llama',
      canarySubsetName: 'canary',
      stableSubsetName: 'stable',
    });
  });

  it('when host level then the VirtualService routes to the canary and stable Services', () => {
    const objects = generateManifests(options({ routing: routing.istio({ mode: 'host' }) }));
    expect(
      find(objects, 'VirtualService').spec.http[0].route.map(
        (r: { destination: { host: string } }) => r.destination.host,
      ),
    ).toEqual(['llama-stable', 'llama-canary']);
    expect(objects.some((o) => o.kind === 'DestinationRule')).toBe(false);
  });

  it('when mirroring is asked then a scaled canary gets mirrored traffic before the first weight', () => {
    const objects = generateManifests(
      options({ routing: routing.istio({ mirror: { percentage: 20, duration: '10m' } }) }),
    );
    const canary = canaryOf(objects);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'canary-mirror' }]);
    expect(canary.steps.slice(0, 6)).toEqual([
      { setCanaryScale: { replicas: 1 } },
      { setMirrorRoute: { name: 'canary-mirror', percentage: 20, match: [{ path: { prefix: '/' } }] } },
      { pause: { duration: '10m' } },
      { setMirrorRoute: { name: 'canary-mirror' } },
      { setCanaryScale: { matchTrafficWeight: true } },
      { setWeight: 10 },
    ]);
  });
});

describe('the PodMonitor', () => {
  it('when generated then it copies the pod-template-hash label and the namespace onto the series', () => {
    const monitor = find(
      generateManifests(options({ podMonitor: { labels: { release: 'prometheus' } } })),
      'PodMonitor',
    );
    expect(monitor.metadata.labels.release).toBe('prometheus');
    expect(monitor.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
    expect(monitor.spec.podMetricsEndpoints[0].relabelings).toEqual([
      {
        action: 'replace',
        sourceLabels: ['__meta_kubernetes_pod_label_rollouts_pod_template_hash'],
        targetLabel: 'rollouts_pod_template_hash',
      },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
    ]);
  });

  it('when disabled then none is emitted', () => {
    expect(
      generateManifests(options({ podMonitor: { enabled: false } })).some((o) => o.kind === 'PodMonitor'),
    ).toBe(false);
  });
});
