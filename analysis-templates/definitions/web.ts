// The templates that call the vllm-canary provider (Argo's `web` metric provider). Each asks one check of
// GET /api/v1/checks/{check}; `vllm-canary-health` asks several at once through POST /api/v1/analysis.
// The provider answers a verdict; `inconclusive` matches neither condition, which pauses the rollout for a person.
import {
  arg,
  authArgs,
  authHeaders,
  checkUrl,
  commonQuery,
  commonWebArgs,
  providerUrlArg,
  BY_ARG,
  CANARY_HASH_ARG,
  MODEL_ARG,
  NAMESPACE_ARG,
  STABLE_HASH_ARG,
  WINDOW_ARG,
} from '../args.js';
import type {
  MetricSpec,
  MetricTiming,
  ResolvedRenderOptions,
  TemplateArg,
  TemplateDefinition,
  WebProviderSpec,
} from '../types.js';

export const VERDICT_JSON_PATH = '{$.verdict}';
export const PASS_CONDITION = 'result == "pass"';
export const FAIL_CONDITION = 'result == "fail"';

/** Latency-like checks: one measurement a minute over a 5-minute window, five looks. */
export const STEADY_TIMING: MetricTiming = {
  interval: '1m',
  count: 5,
  failureLimit: 1,
  inconclusiveLimit: 2,
  consecutiveErrorLimit: 4,
};

/** Errors are the user's pain directly: the first failing measurement aborts. */
export const STRICT_TIMING: MetricTiming = { ...STEADY_TIMING, failureLimit: 0 };

/** Quality scores accrue slowly (sampled prompt pairs): fewer, wider-spaced looks. */
export const QUALITY_TIMING: MetricTiming = {
  interval: '2m',
  count: 3,
  failureLimit: 0,
  inconclusiveLimit: 1,
  consecutiveErrorLimit: 4,
};

const STEADY_RATIONALE =
  'A measurement every minute over a 5-minute window, 5 in all (about 5 minutes per analysis); the provider spends ' +
  'its error rate across the 5 looks. One failed look is tolerated (a cold pod, a burst), a second aborts; ' +
  'up to 2 inconclusive looks (too few canary requests right after a weight change) are tolerated, a third pauses ' +
  'for a person. 4 consecutive errors (provider or Prometheus unreachable, retried every 10 s) are tolerated, ' +
  'the 5th errors the analysis, which aborts.';

export function metric(name: string, timing: MetricTiming, web: WebProviderSpec): MetricSpec {
  return {
    name,
    ...timing,
    successCondition: PASS_CONDITION,
    failureCondition: FAIL_CONDITION,
    provider: { web },
  };
}

function getProvider(options: ResolvedRenderOptions, url: string): WebProviderSpec {
  const headers = authHeaders(options);
  return {
    url,
    method: 'GET',
    ...(headers.length > 0 ? { headers } : {}),
    timeoutSeconds: options.timeoutSeconds,
    jsonPath: VERDICT_JSON_PATH,
  };
}

interface LatencyFlavour {
  readonly template: string;
  readonly metricName: string;
  readonly signal: 'e2e' | 'ttft' | 'itl';
  readonly prefix: string;
  readonly what: string;
  readonly max: string;
  readonly maxRatio: string;
}

const LATENCY_FLAVOURS: readonly LatencyFlavour[] = [
  {
    template: 'vllm-latency',
    metricName: 'latency',
    signal: 'e2e',
    prefix: 'latency',
    what: 'end-to-end request latency',
    max: '60',
    maxRatio: '1.2',
  },
  {
    template: 'vllm-ttft',
    metricName: 'ttft',
    signal: 'ttft',
    prefix: 'ttft',
    what: 'time to first token',
    max: '2',
    maxRatio: '1.25',
  },
  {
    template: 'vllm-itl',
    metricName: 'itl',
    signal: 'itl',
    prefix: 'itl',
    what: 'inter-token latency',
    max: '0.2',
    maxRatio: '1.2',
  },
];

function latencyTemplate(f: LatencyFlavour, options: ResolvedRenderOptions): TemplateDefinition {
  const own: TemplateArg[] = [
    { name: `${f.prefix}-quantile`, value: '0.95', description: `Quantile of ${f.what} compared (0-1).` },
    {
      name: `${f.prefix}-max`,
      value: f.max,
      description: `Absolute limit (SLO) on the canary's ${f.what} quantile, in seconds.`,
    },
    {
      name: `${f.prefix}-max-ratio`,
      value: f.maxRatio,
      description: `Largest canary/stable ratio of the ${f.what} quantile.`,
    },
  ];
  const url = checkUrl('latency', [
    ...commonQuery(STEADY_TIMING.count),
    ['signal', f.signal],
    ['quantile', arg(`${f.prefix}-quantile`)],
    ['max', arg(`${f.prefix}-max`)],
    ['maxRatio', arg(`${f.prefix}-max-ratio`)],
    ['test', 'true'],
  ]);
  return {
    name: f.template,
    summary: `${capitalize(f.what)} of the canary against an SLO, the stable version and a statistical test.`,
    provider: 'web',
    args: [...commonWebArgs(options), ...own, ...authArgs(options)],
    metrics: [metric(f.metricName, STEADY_TIMING, getProvider(options, url))],
    timingRationale: STEADY_RATIONALE,
  };
}

function errorRatioTemplate(options: ResolvedRenderOptions): TemplateDefinition {
  const url = checkUrl('error-ratio', [
    ...commonQuery(STRICT_TIMING.count),
    ['max', arg('error-ratio-max')],
    ['maxIncrease', arg('error-ratio-max-increase')],
    ['test', 'true'],
  ]);
  return {
    name: 'vllm-error-ratio',
    summary:
      'Share of canary requests answered 5xx or finished abort/error, against a limit and the stable version.',
    provider: 'web',
    args: [
      ...commonWebArgs(options),
      {
        name: 'error-ratio-max',
        value: '0.02',
        description: 'Absolute limit on the canary error ratio (0-1).',
      },
      {
        name: 'error-ratio-max-increase',
        value: '0.01',
        description: 'Largest increase of the error ratio over stable, in absolute terms (0-1).',
      },
      ...authArgs(options),
    ],
    metrics: [metric('error-ratio', STRICT_TIMING, getProvider(options, url))],
    timingRationale:
      'As the latency checks (1m x 5 over a 5-minute window), but the first failed measurement aborts: errors hurt ' +
      'users directly, and the provider only fails on enough requests and a significant test.',
  };
}

function kvCacheTemplate(options: ResolvedRenderOptions): TemplateDefinition {
  const url = checkUrl('kv-cache', [
    ...commonQuery(STEADY_TIMING.count),
    ['max', arg('kv-cache-max')],
    ['maxPreemptionRate', arg('kv-cache-max-preemption-rate')],
  ]);
  return {
    name: 'vllm-kv-cache',
    summary: 'Highest KV-cache usage of any canary pod and its preemption rate.',
    provider: 'web',
    args: [
      ...commonWebArgs(options),
      {
        name: 'kv-cache-max',
        value: '0.95',
        description: 'Highest KV-cache usage allowed on a canary pod (0-1).',
      },
      {
        name: 'kv-cache-max-preemption-rate',
        value: '0.5',
        description: 'Most preemptions per second allowed on the canary.',
      },
      ...authArgs(options),
    ],
    metrics: [metric('kv-cache', STEADY_TIMING, getProvider(options, url))],
    timingRationale: STEADY_RATIONALE,
  };
}

function queueTemplate(options: ResolvedRenderOptions): TemplateDefinition {
  const url = checkUrl('queue', [
    ...commonQuery(STEADY_TIMING.count),
    ['aggregate', arg('queue-aggregate')],
    ['max', arg('queue-max')],
    ['maxIncrease', arg('queue-max-increase')],
  ]);
  return {
    name: 'vllm-queue',
    summary:
      'Requests waiting in the canary (vllm:num_requests_waiting) against a limit and the stable version.',
    provider: 'web',
    args: [
      ...commonWebArgs(options),
      {
        name: 'queue-aggregate',
        value: 'max',
        description: 'max or avg of the waiting requests in the window.',
      },
      { name: 'queue-max', value: '20', description: 'Most waiting requests allowed on the canary.' },
      {
        name: 'queue-max-increase',
        value: '10',
        description: 'Most waiting requests the canary may have beyond stable.',
      },
      ...authArgs(options),
    ],
    metrics: [metric('queue', STEADY_TIMING, getProvider(options, url))],
    timingRationale: STEADY_RATIONALE,
  };
}

function qualityTemplate(options: ResolvedRenderOptions): TemplateDefinition {
  const url = checkUrl('quality', [
    ...commonQuery(QUALITY_TIMING.count),
    ['dataset', arg('quality-dataset')],
    ['min', arg('quality-min')],
    ['maxDecrease', arg('quality-max-decrease')],
    ['minItems', arg('quality-min-items')],
    ['sample', arg('quality-sample')],
    ['test', 'true'],
  ]);
  return {
    name: 'vllm-quality',
    summary: 'Sampled answer quality of canary and stable on a reference dataset.',
    provider: 'web',
    args: [
      ...commonWebArgs(options),
      { name: 'quality-dataset', value: 'default', description: 'Reference dataset the provider samples.' },
      {
        name: 'quality-min',
        value: '0',
        description: 'Lowest mean score the canary may have (0-1; 0 sets no absolute floor).',
      },
      {
        name: 'quality-max-decrease',
        value: '0.05',
        description: 'Largest drop of the mean score below stable (0-1).',
      },
      {
        name: 'quality-min-items',
        value: '20',
        description: 'Fewer scored items than this makes the measurement inconclusive.',
      },
      {
        name: 'quality-sample',
        value: '0',
        description:
          'Items to sample now before answering (0-200); 0 judges what the sampler already scored.',
      },
      ...authArgs(options),
    ],
    metrics: [metric('quality', QUALITY_TIMING, getProvider(options, url))],
    timingRationale:
      'Every 2 minutes, 3 looks: scored prompt pairs accrue slowly, so closer looks would mostly repeat the last. ' +
      'The first failed look aborts (the test already demands significance); one inconclusive look is tolerated.',
  };
}

/** The composite body's checks: limits are literal numbers, because Argo can only substitute args into strings. */
export const CANARY_HEALTH_CHECKS: readonly Readonly<Record<string, unknown>>[] = [
  { check: 'latency', signal: 'e2e', quantile: 0.95, maxRatio: 1.2, critical: true, weight: 2 },
  { check: 'latency', signal: 'ttft', quantile: 0.95, maxRatio: 1.25 },
  { check: 'latency', signal: 'itl', quantile: 0.95, maxRatio: 1.2 },
  { check: 'error-ratio', max: 0.02, maxIncrease: 0.01, critical: true, weight: 2 },
  { check: 'kv-cache', max: 0.95 },
  { check: 'queue', maxIncrease: 10 },
];

function canaryHealthTemplate(options: ResolvedRenderOptions): TemplateDefinition {
  const jsonBody = {
    namespace: arg('namespace'),
    model: arg('model'),
    canary: arg('canary-hash'),
    stable: arg('stable-hash'),
    by: arg('by'),
    window: arg('window'),
    minRequests: 50,
    confidence: 0.99,
    looks: STRICT_TIMING.count,
    checks: CANARY_HEALTH_CHECKS,
    thresholds: { pass: 95, marginal: 75 },
  };
  const headers = authHeaders(options);
  return {
    name: 'vllm-canary-health',
    summary:
      'One composite verdict over e2e/TTFT/ITL latency, errors, KV cache and queue (POST /api/v1/analysis), ' +
      'scored with weights and critical checks.',
    provider: 'web',
    args: [
      NAMESPACE_ARG,
      MODEL_ARG,
      CANARY_HASH_ARG,
      STABLE_HASH_ARG,
      providerUrlArg(options),
      BY_ARG,
      WINDOW_ARG,
      ...authArgs(options),
    ],
    metrics: [
      metric('canary-health', STRICT_TIMING, {
        url: `${arg('provider-url')}/api/v1/analysis`,
        method: 'POST',
        ...(headers.length > 0 ? { headers } : {}),
        jsonBody,
        timeoutSeconds: options.timeoutSeconds,
        jsonPath: VERDICT_JSON_PATH,
      }),
    ],
    timingRationale:
      '1m x 5 over a 5-minute window. The provider scores the checks: a failed critical check or a score under 75 ' +
      'fails, 75 to 95 is marginal (inconclusive), 95 and up passes. A fail is already a weighed judgement, so the ' +
      'first one aborts; 2 inconclusive looks are tolerated, a third pauses for a person.',
  };
}

export function webTemplates(options: ResolvedRenderOptions): TemplateDefinition[] {
  return [
    ...LATENCY_FLAVOURS.map((f) => latencyTemplate(f, options)),
    errorRatioTemplate(options),
    kvCacheTemplate(options),
    queueTemplate(options),
    qualityTemplate(options),
    canaryHealthTemplate(options),
  ];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
