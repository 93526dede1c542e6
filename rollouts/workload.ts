// The vLLM workload: the Rollout's pod template, the Services and the PodMonitor. vLLM serves the OpenAI API,
// /health and /metrics on one port (8000); the PodMonitor copies the pod label rollouts-pod-template-hash onto every
// series as rollouts_pod_template_hash, which is how the templates tell canary from stable.
import type { RoutingContext } from './routing/types.js';
import { VLLM_PORT, type KubeObject, type RolloutOptions } from './types.js';

export function podLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'vllm' };
}

export function commonLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'vllm-canary' };
}

export function servedModelName(options: RolloutOptions): string {
  return options.servedModelName ?? options.model;
}

export function podTemplate(options: RolloutOptions): Record<string, unknown> {
  const gpus = options.resources?.gpus ?? 1;
  const memory = options.resources?.memory;
  const cpu = options.resources?.cpu;
  const probe = (periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path: '/health', port: 'http' },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  });
  return {
    metadata: {
      labels: podLabels(options.name),
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(VLLM_PORT),
        'prometheus.io/path': '/metrics',
      },
    },
    spec: {
      containers: [
        {
          name: 'vllm',
          image: options.image,
          args: [
            '--model',
            options.model,
            '--served-model-name',
            servedModelName(options),
            '--port',
            String(VLLM_PORT),
            ...(options.vllmArgs ?? []),
          ],
          ports: [{ name: 'http', containerPort: VLLM_PORT, protocol: 'TCP' }],
          // Loading weights takes minutes: the startup probe allows 15 of them before liveness applies.
          startupProbe: probe(10, 90),
          readinessProbe: probe(10, 3),
          livenessProbe: probe(15, 4),
          resources: {
            ...(cpu !== undefined || memory !== undefined
              ? {
                  requests: {
                    ...(cpu !== undefined ? { cpu } : {}),
                    ...(memory !== undefined ? { memory } : {}),
                  },
                }
              : {}),
            limits: {
              ...(memory !== undefined ? { memory } : {}),
              ...(gpus > 0 ? { 'nvidia.com/gpu': gpus } : {}),
            },
          },
          volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }],
        },
      ],
      volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: options.resources?.shm ?? '8Gi' } }],
    },
  };
}

export function service(ctx: RoutingContext, name: string, role: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: ctx.namespace,
      labels: { ...ctx.commonLabels, 'vllm-canary.io/role': role },
    },
    spec: {
      selector: { ...ctx.podLabels },
      ports: [{ name: 'http', port: ctx.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

export function podMonitor(options: RolloutOptions, ctx: RoutingContext): KubeObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: {
      name: ctx.name,
      namespace: ctx.namespace,
      labels: { ...ctx.commonLabels, ...options.podMonitor?.labels },
    },
    spec: {
      selector: { matchLabels: { ...ctx.podLabels } },
      namespaceSelector: { matchNames: [ctx.namespace] },
      podMetricsEndpoints: [
        {
          port: 'http',
          path: '/metrics',
          interval: options.podMonitor?.interval ?? '15s',
          relabelings: [
            {
              action: 'replace',
              sourceLabels: ['__meta_kubernetes_pod_label_rollouts_pod_template_hash'],
              targetLabel: 'rollouts_pod_template_hash',
            },
            { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
          ],
        },
      ],
    },
  };
}
