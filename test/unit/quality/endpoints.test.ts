import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../metrics-provider/errors.js';
import { baseUrl, resolveEndpoint, serviceUrl } from '../../../metrics-provider/quality/index.js';

const track = (by: 'service' | 'pod-template-hash', value: string) => ({
  namespace: 'llm',
  model: 'llama',
  by,
  value,
});

describe('endpoints', () => {
  it('when a Service and namespace are named then the URL is the cluster DNS name', () => {
    expect(serviceUrl('vllm-canary', 'llm', 8000)).toBe('http://vllm-canary.llm.svc:8000');
  });

  it.each([
    { service: 'Bad_Name', namespace: 'llm', port: 80, field: 'service' },
    { service: 'ok', namespace: 'x.y', port: 80, field: 'namespace' },
    { service: 'ok', namespace: 'llm', port: 70000, field: 'port' },
  ])(
    'when $field is invalid then an invalid_request error names it',
    ({ service, namespace, port, field }) => {
      try {
        serviceUrl(service, namespace, port);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as InvalidRequestError).problems.map((p) => p.field)).toEqual([field]);
      }
    },
  );

  it.each([
    { url: 'http://10.0.0.1:8000/', base: 'http://10.0.0.1:8000' },
    { url: 'https://models.example/v1', base: 'https://models.example' },
    { url: 'http://gw/prefix/v1/', base: 'http://gw/prefix' },
  ])('when the configured URL is $url then the base is $base', ({ url, base }) => {
    expect(baseUrl(url)).toBe(base);
  });

  it('when the analysis names Services then each track gets its Service URL, model and target', () => {
    expect(
      resolveEndpoint(track('service', 'vllm-stable'), 'stable', { servicePort: 8080, apiKey: 'k' }),
    ).toEqual({
      url: 'http://vllm-stable.llm.svc:8080',
      model: 'llama',
      target: 'vllm-stable',
      namespace: 'llm',
      apiKey: 'k',
    });
  });

  it('when a URL is configured for the track then it wins over the hash', () => {
    expect(
      resolveEndpoint(track('pod-template-hash', 'abc123'), 'canary', { canary: 'http://c:1' }).url,
    ).toBe('http://c:1');
  });

  it('when tracks are told apart by hash and no URL is configured then the error says what to do', () => {
    expect(() => resolveEndpoint(track('pod-template-hash', 'abc123'), 'canary')).toThrow(
      'quality sampling cannot reach the canary by pod-template-hash',
    );
  });

  it('when the configured URL is not http then it is refused', () => {
    expect(() => baseUrl('file:///etc/passwd')).toThrow('is not an http(s) URL');
  });
});
