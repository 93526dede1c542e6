// Prometheus-provider variants for users who do not run the provider: Argo queries Prometheus itself, so the
// comparison with stable is written in PromQL. Series are told apart by the labels the generated PodMonitor puts on
// them: rollouts_pod_template_hash (from the pod label rollouts-pod-template-hash), namespace, and vLLM's model_name.
//
// Empty results: Argo hands a Prometheus vector to the conditions as a list of floats, empty when nothing matched.
// expr-lang's `&&` short-circuits, so `len(result) > 0 && ...` never indexes an empty list; an empty or NaN result
// matches neither condition and is Inconclusive (the rollout pauses), never a pass. Argo's `default(x, d)` ignores
// its first argument and returns the whole result unless the result is nil (utils/evaluate in argo-rollouts v1.9.1),
// so `default(result[0], d)` would compare a list with a number: it is not used here.
import {
  arg,
  prometheusUrlArg,
  CANARY_HASH_ARG,
  MIN_REQUESTS_ARG,
  MODEL_ARG,
  NAMESPACE_ARG,
} from '../args.js';
import { STABLE_HASH_ARG, WINDOW_ARG } from '../args.js';
import type { MetricSpec, MetricTiming, ResolvedRenderOptions, TemplateDefinition } from '../types.js';
import { STEADY_TIMING, STRICT_TIMING } from './web.js';

type Track = 'canary' | 'stable';

/** The label matchers of one track; `withModel` is false for http_requests_total, which has no model_name. */
export function selector(track: Track, withModel = true): string {
  const hash = track === 'canary' ? arg('canary-hash') : arg('stable-hash');
  return [
    `namespace="${arg('namespace')}"`,
    ...(withModel ? [`model_name="${arg('model')}"`] : []),
    `rollouts_pod_template_hash="${hash}"`,
  ].join(', ');
}

const WINDOW = arg('window');

/** Keeps the query's result only when the canary finished at least `min-requests` requests in the window. */
function enoughCanaryRequests(query: string): string {
  return (
    `(\n${indent(query)}\n)\nand on()\n` +
    `sum(increase(vllm:e2e_request_latency_seconds_count{${selector('canary')}}[${WINDOW}])) >= ${arg('min-requests')}`
  );
}

function quantile(track: Track): string {
  return (
    `histogram_quantile(${arg('latency-quantile')}, sum by (le) (` +
    `rate(vllm:e2e_request_latency_seconds_bucket{${selector(track)}}[${WINDOW}])))`
  );
}

function errorRatio(track: Track): string {
  const sel = selector(track, false);
  return (
    `(sum(increase(http_requests_total{${sel}, status="5xx"}[${WINDOW}])) or vector(0))\n` +
    `/ sum(increase(http_requests_total{${sel}}[${WINDOW}]))`
  );
}

/** `len(result) > 0 && !isNaN(result[0]) && result[0] <op> limit`: empty and NaN match neither condition. */
export function vectorCondition(op: '<=' | '>', limitArg: string): string {
  return `len(result) > 0 && !isNaN(result[0]) && result[0] ${op} ${arg(limitArg)}`;
}

function promMetric(name: string, timing: MetricTiming, query: string, limitArg: string): MetricSpec {
  return {
    name,
    ...timing,
    successCondition: vectorCondition('<=', limitArg),
    failureCondition: vectorCondition('>', limitArg),
    provider: { prometheus: { address: arg('prometheus-url'), query, timeout: 10 } },
  };
}

function baseArgs(options: ResolvedRenderOptions) {
  return [
    NAMESPACE_ARG,
    MODEL_ARG,
    CANARY_HASH_ARG,
    STABLE_HASH_ARG,
    prometheusUrlArg(options),
    WINDOW_ARG,
    MIN_REQUESTS_ARG,
  ];
}

const PROM_RATIONALE =
  'Same timing as the provider templates (1m x 5 over a 5-minute window). Without the provider there is no ' +
  'statistical test, so the limits are plain thresholds: an empty or NaN result (no traffic, no stable series) is ' +
  'inconclusive and pauses the rollout after the third such look.';

export function prometheusTemplates(options: ResolvedRenderOptions): TemplateDefinition[] {
  return [
    {
      name: 'vllm-prom-latency',
      summary:
        'Ratio of the canary to the stable end-to-end latency quantile, in PromQL, straight from Prometheus.',
      provider: 'prometheus',
      args: [
        ...baseArgs(options),
        {
          name: 'latency-quantile',
          value: '0.95',
          description: 'Quantile of end-to-end latency compared (0-1).',
        },
        {
          name: 'latency-max-ratio',
          value: '1.2',
          description: 'Largest canary/stable ratio of the end-to-end latency quantile.',
        },
      ],
      metrics: [
        promMetric(
          'prom-latency-ratio',
          STEADY_TIMING,
          enoughCanaryRequests(`${quantile('canary')}\n/\n${quantile('stable')}`),
          'latency-max-ratio',
        ),
      ],
      timingRationale: PROM_RATIONALE,
    },
    {
      name: 'vllm-prom-error-ratio',
      summary: 'Share of canary requests answered 5xx, absolute and as an increase over stable, in PromQL.',
      provider: 'prometheus',
      args: [
        ...baseArgs(options),
        {
          name: 'error-ratio-max',
          value: '0.02',
          description: 'Absolute limit on the canary 5xx ratio (0-1).',
        },
        {
          name: 'error-ratio-max-increase',
          value: '0.01',
          description: 'Largest increase of the 5xx ratio over stable, in absolute terms (0-1).',
        },
      ],
      metrics: [
        promMetric(
          'prom-error-ratio',
          STRICT_TIMING,
          enoughCanaryRequests(errorRatio('canary')),
          'error-ratio-max',
        ),
        promMetric(
          'prom-error-ratio-increase',
          STRICT_TIMING,
          enoughCanaryRequests(`(${errorRatio('canary')})\n-\n(${errorRatio('stable')})`),
          'error-ratio-max-increase',
        ),
      ],
      timingRationale: PROM_RATIONALE,
    },
    {
      name: 'vllm-prom-kv-cache',
      summary: 'Highest KV-cache usage of any canary pod in the window (current or legacy vLLM metric name).',
      provider: 'prometheus',
      args: [
        ...baseArgs(options),
        {
          name: 'kv-cache-max',
          value: '0.95',
          description: 'Highest KV-cache usage allowed on a canary pod (0-1).',
        },
      ],
      metrics: [
        promMetric(
          'prom-kv-cache',
          STEADY_TIMING,
          enoughCanaryRequests(
            `max(\n  max_over_time(vllm:kv_cache_usage_perc{${selector('canary')}}[${WINDOW}])\n  or\n` +
              `  max_over_time(vllm:gpu_cache_usage_perc{${selector('canary')}}[${WINDOW}])\n)`,
          ),
          'kv-cache-max',
        ),
      ],
      timingRationale: PROM_RATIONALE,
    },
  ];
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
