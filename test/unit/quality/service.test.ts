import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { QualityParams } from '../../../metrics-provider/checks/quality.js';
import { InvalidRequestError } from '../../../metrics-provider/errors.js';
import { createQualityService, type QualityService } from '../../../metrics-provider/quality/index.js';

const services: QualityService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

function service(): QualityService {
  const created = createQualityService({
    registry: new Registry(),
    budget: { requestsPerMinute: 60, concurrency: 1 },
  });
  services.push(created);
  return created;
}

const params = (overrides: Partial<QualityParams>): QualityParams => ({
  namespace: 'llm',
  model: 'm',
  canary: 'abc',
  stable: 'def',
  by: 'pod-template-hash',
  window: '5m',
  minRequests: 50,
  test: true,
  confidence: 0.99,
  looks: 5,
  dataset: 'default',
  minItems: 20,
  sample: 0,
  ...overrides,
});

const question = (overrides: Partial<QualityParams>) => {
  const p = params(overrides);
  const track = (value: string) => ({ namespace: p.namespace, model: p.model, by: p.by, value });
  return {
    params: p,
    tracks: { canary: track(p.canary), stable: track(p.stable!) },
    windowSeconds: 300,
    signal: new AbortController().signal,
  };
};

describe('the quality service without traffic', () => {
  it('when no datasets are given then the default dataset is loaded', () => {
    expect(service().datasetNames()).toEqual(['default']);
  });

  it('when nothing was sampled then the observation has no value and says how to sample', async () => {
    const found = await service().observe(question({}));
    expect(found).toEqual({
      metric: 'vllm_canary_quality_score',
      queries: [],
      observation: {
        value: undefined,
        baseline: undefined,
        samples: { canary: 0, stable: 0 },
        noDataReason:
          'no quality samples of dataset default in the window (sample=N asks for a fresh sample)',
      },
    });
  });

  it.each([
    { when: 'the dataset is unknown', overrides: { dataset: 'nope' }, field: 'dataset' },
    { when: 'sampling is asked by pod-template-hash with no URLs', overrides: { sample: 5 }, field: 'by' },
  ])('when $when then observe answers invalid_request naming $field', async ({ overrides, field }) => {
    const failure = await service()
      .observe(question(overrides))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidRequestError);
    expect((failure as InvalidRequestError).problems.map((p) => p.field)).toEqual([field]);
  });

  it('when the service is closed then sampling is refused', async () => {
    const quality = service();
    await quality.close();
    await expect(
      quality.sampleNow({
        canary: { namespace: 'llm', model: 'm', by: 'service', value: 'c' },
        dataset: 'default',
        n: 1,
      }),
    ).rejects.toThrow('quality service closing');
  });
});
