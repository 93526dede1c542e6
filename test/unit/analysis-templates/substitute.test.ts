// Args filled in as Argo fills them: the URL and body each template sends, checked against the provider's own API
// description (metrics-provider's OpenAPI document), so a template can never ask for a parameter the provider refuses.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  ArgResolutionError,
  fillTemplateArgs,
  renderTemplates,
  substituteArgs,
  webRequestOf,
  type AnalysisTemplateManifest,
} from '../../../analysis-templates/index.js';
import { OPENAPI_DOCUMENT } from '../../../metrics-provider/index.js';

const ROLLOUT_ARGS = {
  namespace: 'llm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  'canary-hash': '6d4f8b9c7',
  'stable-hash': '5c7d9f8b6',
};
const byName = (name: string, options = {}) =>
  renderTemplates(options).find((t) => t.metadata.name === name)!;
const webTemplates = renderTemplates().filter((t) => 'web' in t.spec.metrics[0]!.provider);

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  schema: object;
}
const doc = OPENAPI_DOCUMENT as unknown as {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
  components: { schemas: Record<string, object> };
};
const ajv = new Ajv({ strict: false, coerceTypes: true });

function checkAgainstOpenApi(template: AnalysisTemplateManifest): string[] {
  const request = webRequestOf(fillTemplateArgs(template, ROLLOUT_ARGS)[0]!);
  const url = new URL(request.url);
  const operation = doc.paths[url.pathname]?.[request.method.toLowerCase()];
  if (operation === undefined) return [`${request.method} ${url.pathname} is not in the provider's API`];
  const problems: string[] = [];
  if (request.body !== undefined) {
    const validate = new Ajv({ strict: false })
      .addSchema({ components: doc.components }, 'api')
      .compile({ $ref: 'api#/components/schemas/AnalysisRequest' });
    if (!validate(JSON.parse(request.body))) problems.push(JSON.stringify(validate.errors));
  }
  const parameters = operation.parameters ?? [];
  for (const [name, value] of url.searchParams) {
    const parameter = parameters.find((p) => p.name === name && p.in === 'query');
    if (parameter === undefined) problems.push(`${name} is not a parameter of ${url.pathname}`);
    else if (!ajv.validate(parameter.schema, value)) problems.push(`${name}=${value}: ${ajv.errorsText()}`);
  }
  for (const p of parameters.filter((p) => p.required && p.in === 'query'))
    if (!url.searchParams.has(p.name)) problems.push(`${p.name} is required but not sent`);
  return problems;
}

describe('fillTemplateArgs', () => {
  it('when the Rollout passes the four required args then vllm-latency asks the provider this exact URL', () => {
    const [metric] = fillTemplateArgs(byName('vllm-latency'), ROLLOUT_ARGS);
    expect(webRequestOf(metric!)).toEqual({
      method: 'GET',
      url:
        'http://vllm-canary.argo-rollouts.svc:8080/api/v1/checks/latency?namespace=llm' +
        '&model=meta-llama/Llama-3.1-8B-Instruct&canary=6d4f8b9c7&stable=5c7d9f8b6&by=pod-template-hash&window=5m' +
        '&minRequests=50&confidence=0.99&looks=5&signal=e2e&quantile=0.95&max=60&maxRatio=1.2&test=true',
      headers: {},
    });
  });

  it.each(webTemplates.map((t) => [t.metadata.name, t] as const))(
    'when %s is filled with its defaults then every parameter it sends is one the provider accepts',
    (_name, template) => {
      expect(checkAgainstOpenApi(template)).toEqual([]);
    },
  );

  it('when a limit arg is overridden then the URL carries the new value', () => {
    const [metric] = fillTemplateArgs(byName('vllm-error-ratio'), {
      ...ROLLOUT_ARGS,
      'error-ratio-max': '0.05',
    });
    expect(webRequestOf(metric!).url).toContain('&max=0.05&');
  });

  it('when a required arg is missing then it fails as Argo does', () => {
    const { 'stable-hash': _s, ...partial } = ROLLOUT_ARGS;
    expect(() => fillTemplateArgs(byName('vllm-queue'), partial)).toThrow(
      new ArgResolutionError('args.stable-hash was not resolved'),
    );
  });

  it('when bearer auth is on then the token comes from the secret and reaches the header', () => {
    const template = byName('vllm-kv-cache', { auth: { mode: 'bearer' } });
    const [metric] = fillTemplateArgs(template, ROLLOUT_ARGS, {
      'vllm-canary-api-token': { token: 's3cret' },
    });
    expect(webRequestOf(metric!).headers).toEqual({ Authorization: 'Bearer s3cret' });
    expect(() => fillTemplateArgs(template, ROLLOUT_ARGS)).toThrow(
      "args.api-token: secret vllm-canary-api-token has no key token in the run's namespace",
    );
  });

  it('when the composite is filled then its JSON body carries the args, escaped for JSON', () => {
    const [metric] = fillTemplateArgs(byName('vllm-canary-health'), { ...ROLLOUT_ARGS, model: 'odd"name' });
    const request = webRequestOf(metric!);
    expect(request.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(request.body!)).toMatchObject({
      namespace: 'llm',
      model: 'odd"name',
      canary: '6d4f8b9c7',
      window: '5m',
    });
  });

  it('when a tag names no arg then substitution fails like Argo ("failed to resolve")', () => {
    expect(() => substituteArgs('x {{ args.nope }}', new Map())).toThrow('failed to resolve {{ args.nope }}');
    expect(substituteArgs('{{ args.a }}-{{args.a}}', new Map([['a', 'v']]))).toBe('v-v');
  });

  it('when a Prometheus variant is filled then its query names the tracks and its condition the limit', () => {
    const [metric] = fillTemplateArgs(byName('vllm-prom-kv-cache'), ROLLOUT_ARGS);
    expect(metric!.successCondition).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.95');
    expect(JSON.stringify(metric!.provider)).toContain('rollouts_pod_template_hash=\\"6d4f8b9c7\\"');
    expect(() => webRequestOf(metric!)).toThrow('metric prom-kv-cache does not use the web provider');
  });
});
