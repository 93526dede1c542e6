// From templates and --arg values to what runs: args (required, defaults, Secrets), substitution everywhere Argo
// substitutes, Argo's spec validation messages, durations, and the library templates by name.
import { describe, expect, it } from 'vitest';
import {
  libraryTemplate,
  parseDuration,
  parseTemplates,
  planAnalysis,
  type TemplateArg,
} from '../../../analysis-runner/index.js';
import { metric, template } from './fixtures.js';

const args: TemplateArg[] = [
  { name: 'provider-url', value: 'http://provider:8080' },
  { name: 'model' },
  { name: 'api-token', valueFrom: { secretKeyRef: { name: 'vllm-canary-api-token', key: 'token' } } },
];

const web = metric('health', {
  successCondition: 'result.score >= {{args.min-score}}',
  provider: {
    web: {
      url: '{{args.provider-url}}/api/v1/analysis?model={{ args.model }}',
      method: 'POST',
      headers: [{ key: 'Authorization', value: 'Bearer {{args.api-token}}' }],
      jsonBody: {
        model: '{{args.model}}',
        checks: [{ check: 'latency', note: 'model {{args.model}}' }],
        looks: 5,
      },
      jsonPath: '{$}',
    },
  },
});

function plan(
  given: Record<string, string>,
  a: TemplateArg[] = [...args, { name: 'min-score', value: '95' }],
) {
  return planAnalysis({ templates: [template([web], { args: a })], args: given });
}

describe('args', () => {
  it('when every arg is given then url, headers, jsonBody values and conditions are substituted', () => {
    const p = plan({ model: 'llama "3"', 'api-token': 's3cret' }).metrics[0];
    expect(p?.web.url).toBe('http://provider:8080/api/v1/analysis?model=llama "3"');
    expect(p?.web.headers).toEqual([{ key: 'Authorization', value: 'Bearer s3cret' }]);
    expect(p?.web.jsonBody).toEqual({
      model: 'llama "3"',
      checks: [{ check: 'latency', note: 'model llama "3"' }],
      looks: 5,
    });
    expect(p?.success?.source).toBe('result.score >= 95');
  });

  it('when a required arg is missing then the error names it and the flag to pass', () => {
    expect(() => plan({ 'api-token': 'x' })).toThrow(
      'args.model was not resolved: the template requires --arg model=<value>',
    );
  });

  it('when an arg comes from a Secret and is not given then the error says secrets need --arg locally', () => {
    expect(() => plan({ model: 'm' })).toThrow(
      'args.api-token comes from Secret vllm-canary-api-token key token (valueFrom.secretKeyRef); vllm-canary analyze ' +
        'does not read Secrets: secrets need --arg locally, e.g. --arg api-token=<value>',
    );
  });

  it('when --arg names an arg the template does not have then the error lists its args', () => {
    expect(() => plan({ model: 'm', 'api-token': 'x', modle: 'm' })).toThrow(
      '--arg modle: the template has no arg named modle; its args: provider-url, model, api-token, min-score',
    );
  });

  it('when a tag names no arg then Argo’s message', () => {
    expect(() => plan({ model: 'm', 'api-token': 'x' }, args)).toThrow(
      'failed to resolve {{args.min-score}}',
    );
  });

  it('when a secret value is given then the plan lists it for redaction', () => {
    expect(plan({ model: 'm', 'api-token': 's3cret' }).secrets).toEqual(['s3cret']);
  });
});

describe("Argo's spec validation", () => {
  it.each([
    [{ count: 3 }, 'metrics[0]: interval must be specified when count > 1'],
    [{ failureLimit: -1 }, 'metrics[0]: failureLimit and consecutiveSuccessLimit cannot both be disabled'],
    [{ failureLimit: -2 }, 'metrics[0]: failureLimit must be >= 0, or -1 to be disabled'],
    [{ interval: '1m', count: 2, inconclusiveLimit: 3 }, 'metrics[0]: count must be >= inconclusiveLimit'],
    [
      { interval: '1m', count: 2, failureLimit: 1, consecutiveSuccessLimit: 2 },
      'metrics[0]: count (2) must be >= failureLimit + consecutiveSuccessLimit (1 + 2) if both >= 0',
    ],
    [{ interval: '1x' }, 'metrics[0]: invalid interval string: time: invalid duration "1x"'],
    [{ initialDelay: '5' }, 'metrics[0]: invalid startDelay string: time: missing unit in duration "5"'],
    [{ provider: {} }, 'metrics[0]: no provider specified'],
    [
      { provider: { prometheus: { address: 'http://p', query: 'up' } } },
      'metric m uses the prometheus provider; vllm-canary analyze runs the web provider only',
    ],
  ] as const)('when the metric has %j then "%s"', (fields, message) => {
    expect(() => planAnalysis({ templates: [template([metric('m', fields)])] })).toThrow(message);
  });

  it('when two metrics share a name then the run cannot start', () => {
    expect(() => planAnalysis({ templates: [template([metric('a'), metric('a')])] })).toThrow(
      "two metrics have the same name 'a'",
    );
  });

  it('when a condition uses what this runner cannot evaluate then the error says which condition', () => {
    expect(() =>
      planAnalysis({ templates: [template([metric('a', { failureCondition: 'lower(result) == "fail"' })])] }),
    ).toThrow("metrics[0].failureCondition: expr: function 'lower' is not supported by vllm-canary analyze");
  });
});

describe('durations (Go time.ParseDuration)', () => {
  it.each([
    ['30s', 30_000],
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['0', 0],
  ])('when %s then %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '1', 'm', '1d', '1m x'])('when %j then an error', (text) => {
    expect(() => parseDuration(text)).toThrow(/^time: (invalid|missing unit)/);
  });
});

describe('templates', () => {
  it('when a YAML file holds several documents then only the analysis templates are taken', () => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: argoproj.io/v1alpha1\nkind: ClusterAnalysisTemplate\nmetadata: {name: t}\nspec:\n  metrics:\n    - name: m\n      provider: {web: {url: "http://x"}}\n`;
    expect(parseTemplates(yaml, 'f.yaml').map((t) => t.metadata.name)).toEqual(['t']);
  });

  it('when a YAML file holds no analysis template then the error says so', () => {
    expect(() => parseTemplates('kind: ConfigMap\n', 'f.yaml')).toThrow(
      'f.yaml: no AnalysisTemplate or ClusterAnalysisTemplate in it',
    );
  });

  it('when a library template is planned with its required args then its metric calls the given provider', () => {
    const p = planAnalysis({
      templates: [libraryTemplate('vllm-latency')],
      args: {
        namespace: 'llm',
        model: 'm',
        'canary-hash': 'abc',
        'stable-hash': 'def',
        'provider-url': 'http://127.0.0.1:1',
      },
    });
    expect(p.metrics[0]?.web.url).toMatch(
      /^http:\/\/127\.0\.0\.1:1\/api\/v1\/checks\/latency\?namespace=llm&model=m&canary=abc/,
    );
    expect(p.metrics[0]?.jsonPath.source).toBe('{$.verdict}');
  });
});
