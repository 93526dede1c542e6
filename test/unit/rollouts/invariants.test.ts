// One test per invariant message of the generator: the props that break it and the exact message.
import { describe, expect, it } from 'vitest';
import {
  generateManifests,
  routing,
  RolloutSpecError,
  type RolloutOptions,
} from '../../../rollouts/index.js';
import { options } from './fixtures.js';

const LIBRARY =
  'vllm-latency, vllm-ttft, vllm-itl, vllm-error-ratio, vllm-kv-cache, vllm-queue, vllm-quality, vllm-canary-health, ' +
  'vllm-prom-latency, vllm-prom-error-ratio, vllm-prom-kv-cache';

const CASES: [string, Partial<RolloutOptions>, string, string][] = [
  [
    'a name too long',
    { name: 'a'.repeat(57) },
    'name',
    `must be a DNS-1123 label of at most 56 characters (the canary Service adds "-canary"), got "${'a'.repeat(57)}"`,
  ],
  [
    'an upper-case name',
    { name: 'Llama' },
    'name',
    'must be a DNS-1123 label of at most 56 characters (the canary Service adds "-canary"), got "Llama"',
  ],
  ['a bad namespace', { namespace: 'llm_prod' }, 'namespace', 'must be a DNS-1123 label, got "llm_prod"'],
  [
    'a model with spaces',
    { model: 'my model' },
    'model',
    'must be a model id or path such as org/name, got "my model"',
  ],
  [
    'a served name with a quote',
    { servedModelName: 'a"b' },
    'servedModelName',
    `may hold letters, digits and . _ : / - (it reaches the provider's queries), got "a"b"`,
  ],
  [
    'an image with a space',
    { image: 'vllm openai' },
    'image',
    'must be an image reference without spaces, got "vllm openai"',
  ],
  ['zero replicas', { replicas: 0 }, 'replicas', 'must be a whole number from 1 to 1000, got 0'],
  [
    'half a GPU',
    { resources: { gpus: 0.5 } },
    'resources.gpus',
    'must be a whole number from 0 to 16 (nvidia.com/gpu cannot be fractional), got 0.5',
  ],
  [
    '--port in vLLM args',
    { vllmArgs: ['--port=9000'] },
    'vllmArgs[0]',
    '--port is set by the generator (port 8000, model, servedModelName): remove it',
  ],
  ['no weights', { steps: { weights: [] } }, 'steps.weights', 'must list at least one weight'],
  [
    'a weight of 0',
    { steps: { weights: [0, 50] } },
    'steps.weights[0]',
    'must be a whole number from 1 to 100, got 0',
  ],
  [
    'falling weights',
    { steps: { weights: [10, 50, 30] } },
    'steps.weights[2]',
    'weights must rise: 30 follows 50',
  ],
  [
    'a bad pause',
    { steps: { pause: 'five minutes' } },
    'steps.pause',
    'must be a duration such as 30s, 5m or 1h, got "five minutes"',
  ],
  [
    'no templates',
    { analysis: { templates: [] } },
    'analysis.templates',
    'must name at least one template (or set mode: none)',
  ],
  [
    'an unknown template',
    { analysis: { templates: ['vllm-latncy'] } },
    'analysis.templates[0]',
    `"vllm-latncy" is not a template of the library (${LIBRARY})`,
  ],
  [
    'a repeated template',
    { analysis: { templates: ['vllm-queue', 'vllm-queue'] } },
    'analysis.templates[1]',
    '"vllm-queue" is listed twice (Argo refuses two metrics with the same name)',
  ],
  [
    'a generated arg',
    { analysis: { args: { model: 'x' } } },
    'analysis.args.model',
    'is set by the generator (namespace, model and the pod-template-hashes): remove it',
  ],
  [
    'an unknown arg',
    { analysis: { templates: ['vllm-queue'], args: { 'latency-max': '3' } } },
    'analysis.args.latency-max',
    'is not an arg of vllm-queue',
  ],
  [
    'startingStep with inline analysis',
    { analysis: { startingStep: 1 } },
    'analysis.startingStep',
    'only applies to background analysis',
  ],
  [
    'startingStep beyond the steps',
    { analysis: { mode: 'background', startingStep: 6 } },
    'analysis.startingStep',
    'must be a step index from 0 to 5 (the Rollout has 6 steps), got 6',
  ],
  [
    'a bad header name',
    {
      routing: routing.gatewayApi({
        gateway: { name: 'g' },
        headerRoute: { header: 'X Canary', value: 'v' },
      }),
    },
    'headerRoute.header',
    'must be an HTTP header name, got "X Canary"',
  ],
  [
    'an empty header value',
    { routing: routing.istio({ headerRoute: { header: 'X-Canary', value: '' } }) },
    'headerRoute.value',
    'must not be empty',
  ],
  [
    'a bad gateway name',
    { routing: routing.gatewayApi({ gateway: { name: 'Gw' } }) },
    'gatewayApi.gateway.name',
    'must be a DNS-1123 label, got "Gw"',
  ],
  [
    'a bad gateway namespace',
    { routing: routing.gatewayApi({ gateway: { name: 'g', namespace: 'a.b' } }) },
    'gatewayApi.gateway.namespace',
    'must be a DNS-1123 label, got "a.b"',
  ],
  [
    'a bad plugin version',
    { routing: routing.gatewayApi({ gateway: { name: 'g' }, pluginVersion: 'latest' }) },
    'gatewayApi.pluginVersion',
    'must be a release tag such as v0.15.0, got "latest"',
  ],
  [
    'a relative path prefix',
    { routing: routing.gatewayApi({ gateway: { name: 'g' }, pathPrefix: 'v1' }) },
    'gatewayApi.pathPrefix',
    'must start with "/", got "v1"',
  ],
  [
    'a prefix header match on NGINX',
    {
      routing: routing.nginx({
        host: 'h.example.com',
        headerRoute: { header: 'X-Canary', value: 'v', match: 'prefix' },
      }),
    },
    'headerRoute.match',
    'NGINX cannot match a header by prefix: use exact (canary-by-header-value) or regex (canary-by-header-pattern)',
  ],
  [
    'a bad NGINX host',
    { routing: routing.nginx({ host: 'LLM host' }) },
    'nginx.host',
    'must be a DNS name, got "LLM host"',
  ],
  [
    'a relative NGINX path',
    { routing: routing.nginx({ host: 'h.example.com', path: 'v1' }) },
    'nginx.path',
    'must start with "/", got "v1"',
  ],
  [
    'a mirror of 0 %',
    { routing: routing.istio({ mirror: { percentage: 0 } }) },
    'istio.mirror.percentage',
    'must be a whole number from 1 to 100, got 0',
  ],
  [
    'a bad mirror duration',
    { routing: routing.istio({ mirror: { percentage: 5, duration: '5 min' } }) },
    'istio.mirror.duration',
    'must be a duration such as 30s, 5m or 1h, got "5 min"',
  ],
  [
    'a bad Istio gateway',
    { routing: routing.istio({ gateways: ['a/b/c'] }) },
    'istio.gateways[0]',
    'must be "name" or "namespace/name", got "a/b/c"',
  ],
];

describe('generator invariants', () => {
  it.each(CASES)('when given %s then it fails with the exact message', (_label, overrides, path, message) => {
    let error: unknown;
    try {
      generateManifests(options(overrides));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RolloutSpecError);
    expect((error as RolloutSpecError).problems).toEqual([{ path, message }]);
  });

  it('when several invariants break then every problem is reported at once', () => {
    expect(() => generateManifests(options({ name: 'X', replicas: -1 }))).toThrow(
      'name: must be a DNS-1123 label of at most 56 characters (the canary Service adds "-canary"), got "X"\n' +
        'replicas: must be a whole number from 1 to 1000, got -1',
    );
  });

  it('when the weights end at 100 then Argo gets an explicit full-traffic step (analysis at 100 %)', () => {
    expect(() => generateManifests(options({ steps: { weights: [50, 100] } }))).not.toThrow();
  });
});
