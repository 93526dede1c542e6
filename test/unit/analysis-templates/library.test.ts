// The template library: names, args, URLs, conditions and timing as the issue asks, and the render options.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROVIDER_URL,
  renderTemplate,
  renderTemplates,
  renderTemplatesYaml,
  RenderOptionsError,
  templateDefinitions,
  templateNames,
  type WebProviderSpec,
} from '../../../analysis-templates/index.js';

const WEB = [
  'vllm-latency',
  'vllm-ttft',
  'vllm-itl',
  'vllm-error-ratio',
  'vllm-kv-cache',
  'vllm-queue',
  'vllm-quality',
];
const REQUIRED = ['namespace', 'model', 'canary-hash', 'stable-hash'];

function web(name: string, options = {}): WebProviderSpec {
  const t = renderTemplates(options).find((m) => m.metadata.name === name)!;
  const provider = t.spec.metrics[0]!.provider;
  if (!('web' in provider)) throw new Error(`${name} is not a web template`);
  return provider.web;
}

describe('the library', () => {
  it('when listed then it holds the seven checks, the composite and three Prometheus variants', () => {
    expect(templateNames()).toEqual([
      ...WEB,
      'vllm-canary-health',
      'vllm-prom-latency',
      'vllm-prom-error-ratio',
      'vllm-prom-kv-cache',
    ]);
  });

  it.each(templateDefinitions().map((d) => [d.name, d] as const))(
    'when %s is rendered then its args are kebab-case, documented, and the required ones have no value',
    (_name, definition) => {
      for (const arg of definition.args) {
        expect(arg.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        expect(arg.description.length).toBeGreaterThan(10);
      }
      const required = definition.args.filter((a) => a.value === undefined && a.valueFrom === undefined);
      expect(required.map((a) => a.name)).toEqual(REQUIRED);
    },
  );

  it.each(renderTemplates().map((t) => [t.metadata.name, t] as const))(
    'when %s is rendered then every metric sets both conditions and a count with an interval',
    (_name, template) => {
      for (const metric of template.spec.metrics) {
        expect(metric.successCondition).toBeTruthy();
        expect(metric.failureCondition).toBeTruthy();
        expect(metric.count).toBeGreaterThanOrEqual(metric.failureLimit + 1);
        expect(metric.count).toBeGreaterThanOrEqual(metric.inconclusiveLimit);
        expect(metric.interval).toMatch(/^\d+m$/);
        expect(metric.consecutiveErrorLimit).toBe(4);
      }
    },
  );

  it('when a web check is rendered then it reads the verdict and pauses on inconclusive', () => {
    for (const t of renderTemplates().filter((m) => 'web' in m.spec.metrics[0]!.provider)) {
      const metric = t.spec.metrics[0]!;
      expect(metric.successCondition).toBe('result == "pass"');
      expect(metric.failureCondition).toBe('result == "fail"');
      expect((metric.provider as { web: WebProviderSpec }).web.jsonPath).toBe('{$.verdict}');
    }
  });

  it('when vllm-latency is rendered then its URL is built from args on the provider-url arg', () => {
    expect(web('vllm-latency').url).toBe(
      '{{args.provider-url}}/api/v1/checks/latency?namespace={{args.namespace}}&model={{args.model}}' +
        '&canary={{args.canary-hash}}&stable={{args.stable-hash}}&by={{args.by}}&window={{args.window}}' +
        '&minRequests={{args.min-requests}}&confidence={{args.confidence}}&looks=5&signal=e2e' +
        '&quantile={{args.latency-quantile}}&max={{args.latency-max}}&maxRatio={{args.latency-max-ratio}}&test=true',
    );
    const args = renderTemplates().find((t) => t.metadata.name === 'vllm-latency')!.spec.args;
    expect(args.find((a) => a.name === 'provider-url')?.value).toBe(DEFAULT_PROVIDER_URL);
  });

  it('when TTFT and ITL are rendered then they ask the latency check for their signal', () => {
    expect(web('vllm-ttft').url).toContain('/api/v1/checks/latency?');
    expect(web('vllm-ttft').url).toContain('&signal=ttft&');
    expect(web('vllm-itl').url).toContain('&signal=itl&');
  });

  it('when the composite is rendered then it POSTs a jsonBody to /api/v1/analysis', () => {
    const composite = web('vllm-canary-health');
    expect(composite.method).toBe('POST');
    expect(composite.url).toBe('{{args.provider-url}}/api/v1/analysis');
    expect(composite.jsonBody).toMatchObject({
      namespace: '{{args.namespace}}',
      canary: '{{args.canary-hash}}',
      stable: '{{args.stable-hash}}',
    });
    expect((composite.jsonBody?.checks as unknown[]).length).toBeGreaterThan(3);
  });

  it('when args of different templates share a name then they share the default, so Argo can merge them', () => {
    const defaults = new Map<string, string | undefined>();
    for (const d of templateDefinitions())
      for (const a of d.args) {
        if (defaults.has(a.name)) expect([a.name, a.value]).toEqual([a.name, defaults.get(a.name)]);
        else defaults.set(a.name, a.value);
      }
  });

  it('when metric names are listed then no two templates share one, so any set can run together', () => {
    const names = renderTemplates().flatMap((t) => t.spec.metrics.map((m) => m.name));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('render options', () => {
  it('when a provider URL is given then it is the provider-url default, without a trailing slash', () => {
    const t = renderTemplates({ providerUrl: 'https://canary.example.com:8443/' })[0]!;
    expect(t.spec.args.find((a) => a.name === 'provider-url')?.value).toBe('https://canary.example.com:8443');
  });

  it('when bearer auth is asked then every web template sends the token from an api-token secret arg', () => {
    for (const name of [...WEB, 'vllm-canary-health']) {
      const t = renderTemplates({ auth: { mode: 'bearer' } }).find((m) => m.metadata.name === name)!;
      expect(t.spec.args.find((a) => a.name === 'api-token')).toEqual({
        name: 'api-token',
        valueFrom: { secretKeyRef: { name: 'vllm-canary-api-token', key: 'token' } },
      });
      expect(web(name, { auth: { mode: 'bearer' } }).headers).toEqual([
        { key: 'Authorization', value: 'Bearer {{args.api-token}}' },
      ]);
    }
  });

  it('when auth is none then no template has an api-token arg or header', () => {
    for (const t of renderTemplates()) {
      expect(t.spec.args.some((a) => a.name === 'api-token')).toBe(false);
      expect(JSON.stringify(t)).not.toContain('Authorization');
    }
  });

  it('when clusterScope is false then namespaced AnalysisTemplates are rendered, in the namespace given', () => {
    const t = renderTemplate(templateDefinitions()[0]!, { clusterScope: false, namespace: 'llm' });
    expect(t.kind).toBe('AnalysisTemplate');
    expect(t.metadata.namespace).toBe('llm');
    expect(renderTemplates()[0]!.kind).toBe('ClusterAnalysisTemplate');
  });

  it('when the Helm chart asks for escaped args then every {{args.x}} is wrapped for Helm', () => {
    const yaml = renderTemplatesYaml({ escapeArgsForHelm: true });
    expect(yaml).toContain('{{ "{{args.namespace}}" }}');
    expect(yaml.replace(/\{\{ "\{\{args\.[^}]+\}\}" \}\}/g, '')).not.toMatch(/\{\{\s*args\./);
  });

  it('when the multi-document YAML is rendered then it holds every template once, with one header', () => {
    const yaml = renderTemplatesYaml();
    expect(yaml.match(/^kind: ClusterAnalysisTemplate$/gm)).toHaveLength(templateNames().length);
    expect(yaml.match(/Do not edit by hand/g)).toHaveLength(1);
  });

  it.each([
    [
      { providerUrl: 'ftp://x' },
      'providerUrl must be an http:// or https:// base URL without query or fragment, got "ftp://x"',
    ],
    [
      { providerUrl: 'http://x/?a=1' },
      'providerUrl must be an http:// or https:// base URL without query or fragment, got "http://x/?a=1"',
    ],
    [
      { prometheusUrl: 'prometheus:9090' },
      'prometheusUrl must be an http:// or https:// base URL without query or fragment, got "prometheus:9090"',
    ],
    [{ timeoutSeconds: 0 }, 'timeoutSeconds must be a whole number from 1 to 300, got 0'],
    [{ namespace: 'Bad_NS' }, 'namespace must be a DNS-1123 name, got "Bad_NS"'],
    [{ auth: { mode: 'bearer', secretName: 'No' } }, 'auth.secretName must be a DNS-1123 name, got "No"'],
    [
      { auth: { mode: 'bearer', secretKey: 'a b' } },
      `auth.secretKey may hold letters, digits, '-', '_' and '.', got "a b"`,
    ],
  ] as const)('when options are %j then rendering fails with the exact message', (options, message) => {
    expect(() => renderTemplates(options as never)).toThrow(new RenderOptionsError(message));
  });
});

describe('docs/rollouts.md', () => {
  const docs = readFileSync(new URL('../../../docs/rollouts.md', import.meta.url), 'utf8');

  it('when read then it documents every template and every arg', () => {
    for (const d of templateDefinitions({ auth: { mode: 'bearer' } })) {
      expect(docs).toContain(`\`${d.name}\``);
      for (const a of d.args) expect(docs).toContain(`\`${a.name}\``);
    }
  });
});
