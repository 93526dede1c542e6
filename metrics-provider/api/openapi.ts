// The OpenAPI 3 description of the API, built from the same JSON Schemas that validate requests, so the document
// cannot drift from what the provider accepts. `npm run openapi` writes it to openapi.json (kept in the repository,
// compared by a test); the running provider serves it at /openapi.json.
import { COMPOSITE_SCHEMA } from '../checks/composite.js';
import { errorRatioCheck } from '../checks/error-ratio.js';
import { kvCacheCheck } from '../checks/kv-cache.js';
import { latencyCheck } from '../checks/latency.js';
import { COMMON_PARAMS_SCHEMA, REQUIRED_PARAMS } from '../checks/params.js';
import { QUALITY_PARAMS_SCHEMA } from '../checks/quality.js';
import { queueCheck } from '../checks/queue.js';

const CHECKS: readonly { name: string; summary: string; schema: Readonly<Record<string, object>> }[] = [
  {
    name: 'latency',
    summary: 'A latency quantile (e2e, TTFT, inter-token, queue), canary vs stable',
    schema: latencyCheck.paramsSchema,
  },
  {
    name: 'error-ratio',
    summary: 'Share of requests answered 5xx or finished abort/error',
    schema: errorRatioCheck.paramsSchema,
  },
  { name: 'kv-cache', summary: 'Peak KV-cache usage and preemption rate', schema: kvCacheCheck.paramsSchema },
  { name: 'queue', summary: 'Requests waiting for a scheduler slot', schema: queueCheck.paramsSchema },
  {
    name: 'quality',
    summary: 'Sampled answer quality on a reference dataset',
    schema: QUALITY_PARAMS_SCHEMA,
  },
];

const NUMBER_OR_NULL = { type: 'number', nullable: true };
const VERDICT = { type: 'string', enum: ['pass', 'fail', 'inconclusive'] };

const CHECK_ANSWER = {
  type: 'object',
  required: [
    'check',
    'verdict',
    'label',
    'reason',
    'value',
    'baseline',
    'unit',
    'limits',
    'samples',
    'queries',
    'source',
    'window',
    'measuredAt',
  ],
  properties: {
    check: { type: 'string' },
    verdict: VERDICT,
    label: { type: 'string', enum: ['Pass', 'High', 'Low', 'NoData'] },
    reason: { type: 'string', description: 'one line: both figures and the limit or test that decided' },
    value: { ...NUMBER_OR_NULL, description: "the canary's figure" },
    baseline: { ...NUMBER_OR_NULL, description: 'the stable figure' },
    deviation: { ...NUMBER_OR_NULL, description: 'value / baseline' },
    unit: { type: 'string' },
    limits: {
      type: 'object',
      properties: {
        absolute: { type: 'number' },
        ratio: { type: 'number' },
        delta: { type: 'number' },
        minSamples: { type: 'number' },
        minBaselineSamples: { type: 'number' },
      },
    },
    samples: {
      type: 'object',
      required: ['canary', 'stable'],
      properties: { canary: { type: 'number' }, stable: { type: 'number' } },
    },
    test: {
      type: 'object',
      nullable: true,
      required: ['name', 'pValue', 'alpha', 'effect', 'effectName', 'significant', 'beyondTolerance'],
      properties: {
        name: { type: 'string' },
        pValue: { type: 'number' },
        alpha: { type: 'number' },
        effect: { type: 'number' },
        effectName: { type: 'string' },
        significant: { type: 'boolean' },
        beyondTolerance: { type: 'boolean' },
      },
    },
    metric: { type: 'string' },
    facets: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          figure: { type: 'string' },
          verdict: VERDICT,
          reason: { type: 'string' },
          value: NUMBER_OR_NULL,
          baseline: NUMBER_OR_NULL,
        },
      },
    },
    unhealthyTargets: { type: 'array', items: { type: 'string' } },
    queries: { type: 'array', items: { type: 'string' } },
    source: { type: 'string' },
    window: { type: 'string' },
    measuredAt: { type: 'string', format: 'date-time' },
  },
};

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          enum: [
            'invalid_request',
            'unauthorized',
            'not_found',
            'payload_too_large',
            'rate_limited',
            'backend_unreachable',
            'backend_timeout',
            'backend_error',
            'unexpected_data',
            'deadline_exceeded',
            'internal',
          ],
        },
        message: { type: 'string' },
        problems: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: {
              field: { type: 'string' },
              message: { type: 'string' },
              allowed: { type: 'string' },
            },
          },
        },
      },
    },
  },
};

const errorResponses = {
  '400': {
    description: 'invalid request',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '401': {
    description: 'missing or wrong bearer token',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '429': {
    description: 'rate limited',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '502': {
    description: 'metric source unreachable or answered unusable data',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '504': {
    description: 'no answer within the deadline',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
};

function parameters(schema: Readonly<Record<string, object>>): object[] {
  const all = { ...COMMON_PARAMS_SCHEMA, ...schema };
  return Object.entries(all).map(([name, property]) => {
    const { description, ...rest } = property as { description?: string };
    return {
      name,
      in: 'query',
      required: (REQUIRED_PARAMS as readonly string[]).includes(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

function checkPath(check: (typeof CHECKS)[number]): object {
  return {
    get: {
      operationId: `check${check.name.replace(/(^|-)([a-z])/g, (_, _d: string, c: string) => c.toUpperCase())}`,
      summary: check.summary,
      tags: ['checks'],
      parameters: parameters(check.schema),
      responses: {
        '200': {
          description: 'a verdict',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CheckAnswer' } } },
        },
        ...errorResponses,
      },
    },
  };
}

const compositeItemProperties = Object.assign(
  {},
  ...CHECKS.map((c) => c.schema),
  COMPOSITE_SCHEMA.properties.checks.items.properties,
  COMMON_PARAMS_SCHEMA,
) as Record<string, object>;

export const OPENAPI_DOCUMENT = {
  openapi: '3.0.3',
  info: {
    title: 'vllm-canary metric provider',
    version: '1',
    description:
      "Judges a vLLM canary against stable for Argo Rollouts' web metric provider. Every 2xx answer carries a verdict; " +
      'anything that could not be measured is a non-2xx JSON error.',
  },
  security: [{}, { bearer: [] }],
  paths: {
    ...Object.fromEntries(CHECKS.map((c) => [`/api/v1/checks/${c.name}`, checkPath(c)])),
    '/api/v1/analysis': {
      post: {
        operationId: 'analysis',
        summary: 'Several checks in one call, scored into one verdict',
        tags: ['checks'],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/AnalysisRequest' } } },
        },
        responses: {
          '200': {
            description: 'a verdict and a score',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/AnalysisAnswer' } } },
          },
          '413': {
            description: 'body too large',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
          ...errorResponses,
        },
      },
    },
    '/healthz': {
      get: {
        operationId: 'healthz',
        summary: 'Liveness',
        tags: ['probes'],
        responses: {
          '200': {
            description: 'alive',
            content: {
              'application/json': { schema: { type: 'object', properties: { status: { type: 'string' } } } },
            },
          },
        },
      },
    },
    '/readyz': {
      get: {
        operationId: 'readyz',
        summary: 'Readiness: the metric source answers',
        tags: ['probes'],
        responses: {
          '200': {
            description: 'ready',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } },
          },
          '503': {
            description: 'not ready',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } },
          },
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: "The provider's own Prometheus metrics",
        tags: ['probes'],
        responses: {
          '200': {
            description: 'Prometheus text format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document',
        tags: ['probes'],
        responses: {
          '200': {
            description: 'OpenAPI 3 document',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      CheckAnswer: CHECK_ANSWER,
      AnalysisRequest: {
        type: 'object',
        required: [...REQUIRED_PARAMS, 'checks'],
        properties: {
          ...COMMON_PARAMS_SCHEMA,
          checks: {
            ...COMPOSITE_SCHEMA.properties.checks,
            items: { type: 'object', required: ['check'], properties: compositeItemProperties },
          },
          thresholds: COMPOSITE_SCHEMA.properties.thresholds,
        },
      },
      AnalysisAnswer: {
        type: 'object',
        required: ['verdict', 'score', 'reason', 'checks'],
        properties: {
          verdict: VERDICT,
          score: { type: 'number', minimum: 0, maximum: 100 },
          reason: { type: 'string' },
          checks: {
            type: 'array',
            items: {
              allOf: [
                { $ref: '#/components/schemas/CheckAnswer' },
                { type: 'object', properties: { weight: { type: 'number' }, critical: { type: 'boolean' } } },
              ],
            },
          },
        },
      },
      Readiness: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['ready', 'not ready'] },
          source: { type: 'string' },
          detail: { type: 'string' },
        },
      },
      Error: ERROR,
    },
  },
} as const;
