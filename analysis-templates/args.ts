// Args shared by the templates. Argo merges the args of every template referenced in one analysis by name and
// refuses two defaults that differ ("Argument `x` specified multiple times with different values"), so a shared arg
// has the same default everywhere and a limit's arg carries its template's prefix (`latency-max`, not `max`).
import type { ResolvedRenderOptions, TemplateArg } from './types.js';

/** `{{args.name}}`, the placeholder Argo substitutes. */
export function arg(name: string): string {
  return `{{args.${name}}}`;
}

export const NAMESPACE_ARG: TemplateArg = {
  name: 'namespace',
  description:
    'Namespace of the vLLM pods. Required: pass {valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}.',
};

export const MODEL_ARG: TemplateArg = {
  name: 'model',
  description: "vLLM's served model name (the model_name label, --served-model-name). Required.",
};

export const CANARY_HASH_ARG: TemplateArg = {
  name: 'canary-hash',
  description:
    'pod-template-hash of the canary. Required: pass {valueFrom: {podTemplateHashValue: Latest}} ' +
    '(or the canary Service name with by=service).',
};

export const STABLE_HASH_ARG: TemplateArg = {
  name: 'stable-hash',
  description:
    'pod-template-hash of the stable version. Required: pass {valueFrom: {podTemplateHashValue: Stable}} ' +
    '(or the stable Service name with by=service).',
};

export const BY_ARG: TemplateArg = {
  name: 'by',
  value: 'pod-template-hash',
  description: 'How canary and stable are told apart: pod-template-hash or service.',
};

export const WINDOW_ARG: TemplateArg = {
  name: 'window',
  value: '5m',
  description: 'Look-back window of each measurement (10s to 24h, e.g. 5m).',
};

export const MIN_REQUESTS_ARG: TemplateArg = {
  name: 'min-requests',
  value: '50',
  description: 'Fewer canary requests than this in the window makes the measurement inconclusive.',
};

export const CONFIDENCE_ARG: TemplateArg = {
  name: 'confidence',
  value: '0.99',
  description: 'One-sided confidence of the canary-vs-stable test over the whole run (0.5 to 0.9999).',
};

export function providerUrlArg(options: ResolvedRenderOptions): TemplateArg {
  return {
    name: 'provider-url',
    value: options.providerUrl,
    description: 'Base URL of the vllm-canary provider as seen from the Argo Rollouts controller.',
  };
}

export function prometheusUrlArg(options: ResolvedRenderOptions): TemplateArg {
  return {
    name: 'prometheus-url',
    value: options.prometheusUrl,
    description: 'Base URL of the Prometheus HTTP API that scrapes the vLLM pods (through the PodMonitor).',
  };
}

export const API_TOKEN_ARG_NAME = 'api-token';

/** The `api-token` arg of bearer auth, or nothing. */
export function authArgs(options: ResolvedRenderOptions): TemplateArg[] {
  if (options.auth.mode !== 'bearer') return [];
  return [
    {
      name: API_TOKEN_ARG_NAME,
      valueFrom: { secretKeyRef: { name: options.auth.secretName, key: options.auth.secretKey } },
      description:
        `Bearer token of the provider, from Secret ${options.auth.secretName} key ${options.auth.secretKey} ` +
        "in the Rollout's namespace.",
    },
  ];
}

/** The `Authorization` header of bearer auth, or nothing. */
export function authHeaders(options: ResolvedRenderOptions): { key: string; value: string }[] {
  return options.auth.mode === 'bearer'
    ? [{ key: 'Authorization', value: `Bearer ${arg(API_TOKEN_ARG_NAME)}` }]
    : [];
}

/** Args every web-provider check template takes, in the order they are rendered. */
export function commonWebArgs(options: ResolvedRenderOptions): TemplateArg[] {
  return [
    NAMESPACE_ARG,
    MODEL_ARG,
    CANARY_HASH_ARG,
    STABLE_HASH_ARG,
    providerUrlArg(options),
    BY_ARG,
    WINDOW_ARG,
    MIN_REQUESTS_ARG,
    CONFIDENCE_ARG,
  ];
}

/** Query-string parameters every check takes: names of the provider's API, values from args. */
export function commonQuery(looks: number): [string, string][] {
  return [
    ['namespace', arg('namespace')],
    ['model', arg('model')],
    ['canary', arg('canary-hash')],
    ['stable', arg('stable-hash')],
    ['by', arg('by')],
    ['window', arg('window')],
    ['minRequests', arg('min-requests')],
    ['confidence', arg('confidence')],
    ['looks', String(looks)],
  ];
}

/** Joins query parameters without encoding: Argo substitutes args into the URL after rendering. */
export function checkUrl(check: string, params: readonly (readonly [string, string])[]): string {
  return `${arg('provider-url')}/api/v1/checks/${check}?${params.map(([k, v]) => `${k}=${v}`).join('&')}`;
}
