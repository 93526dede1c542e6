// The whole quality loop on real HTTP: two vLLM emulators answering from the default dataset's answer book with a
// set accuracy, the quality service sampling both, the quality check measuring, and the judge classifying.
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { startEmulator, type PartialProfile, type RunningEmulator } from '../../../emulator/index.js';
import { qualityCheck, type QualityParams } from '../../../metrics-provider/checks/quality.js';
import type { CheckContext } from '../../../metrics-provider/checks/types.js';
import { classify } from '../../../metrics-provider/judge/index.js';
import type { MetricSource } from '../../../metrics-provider/sources/metric-source.js';
import {
  answerBookFromDataset,
  createQualityService,
  defaultDataset,
  type QualityService,
} from '../../../metrics-provider/quality/index.js';

const MODEL = 'quality-model';
const BOOK = answerBookFromDataset(defaultDataset());
const emulators: RunningEmulator[] = [];
const services: QualityService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function emulator(profile: PartialProfile): Promise<RunningEmulator> {
  const running = await startEmulator({
    model: MODEL,
    generation: 'current',
    timeScale: 200,
    seed: 7,
    answerBook: BOOK,
    profile: { stallSeconds: 600, ...profile },
  });
  emulators.push(running);
  return running;
}

const PARAMS: QualityParams = {
  namespace: 'llm',
  model: MODEL,
  canary: 'canary-hash',
  stable: 'stable-hash',
  by: 'pod-template-hash',
  window: '5m',
  minRequests: 50,
  test: true,
  confidence: 0.99,
  looks: 1,
  dataset: 'default',
  minItems: 20,
  sample: 0,
};

/** Samples `sample` pairs through the quality check, then classifies the answer as the provider would. */
async function judge(
  canaryProfile: PartialProfile,
  stableProfile: PartialProfile,
  params: Partial<QualityParams>,
  timeoutSeconds = 10,
) {
  const [canary, stable] = await Promise.all([emulator(canaryProfile), emulator(stableProfile)]);
  const service = createQualityService({
    registry: new Registry(),
    budget: { requestsPerMinute: 60_000, concurrency: 16, burst: 16 },
    timeoutSeconds,
    sampleSeconds: 30,
    endpoints: { canary: canary.url, stable: stable.url },
  });
  services.push(service);
  const all = { ...PARAMS, ...params };
  const context: CheckContext = {
    source: {} as MetricSource,
    tracks: {
      canary: { namespace: 'llm', model: MODEL, by: 'pod-template-hash', value: all.canary },
      stable: { namespace: 'llm', model: MODEL, by: 'pod-template-hash', value: all.stable! },
    },
    windowSeconds: 300,
    signal: new AbortController().signal,
  };
  const measurement = await qualityCheck(service).measure(context, all);
  const facet = measurement.facets[0]!;
  return { observation: facet.observation, classification: classify(facet.judgement, facet.observation) };
}

describe('the quality check against emulators', () => {
  it('when stable is 95% right and the canary 80% then the check fails and shows both scores', async () => {
    const { observation, classification } = await judge(
      { accuracy: 0.8 },
      { accuracy: 0.95 },
      {
        sample: 120,
        maxDecrease: 0.05,
      },
    );
    expect(observation.samples).toEqual({ canary: 120, stable: 120 });
    expect(observation.value).toBeGreaterThan(0.65);
    expect(observation.value).toBeLessThan(0.9);
    expect(observation.baseline).toBeGreaterThan(0.88);
    expect(classification.verdict).toBe('fail');
    expect(classification.label).toBe('Low');
    expect(classification.reason).toMatch(/^quality on default: canary 0\.\d+ vs stable 0\.\d+, /);
  });

  it('when only the statistical test is asked then 120 pairs at 80% against 95% still fail', async () => {
    const { observation, classification } = await judge(
      { accuracy: 0.8 },
      { accuracy: 0.95 },
      { sample: 120 },
    );
    expect(observation.test).toMatchObject({ name: "Welch's t-test", significant: true });
    expect(classification.verdict).toBe('fail');
  });

  it('when both are 95% right then the check passes', async () => {
    const { observation, classification } = await judge(
      { accuracy: 0.95 },
      { accuracy: 0.95 },
      {
        sample: 60,
        maxDecrease: 0.05,
        min: 0.8,
      },
    );
    expect(observation.samples.canary).toBe(60);
    expect(observation.test?.significant).toBe(false);
    expect(classification.verdict).toBe('pass');
  });

  it.each([
    { when: 'only a floor is set', params: { min: 0.5 } },
    { when: 'a drop limit and the test are set', params: { maxDecrease: 0.05 } },
    { when: 'the test is off and a floor is set', params: { min: 0.1, test: false } },
  ])(
    'when the canary times out on every request and $when then the check never passes',
    async ({ params }) => {
      const { observation, classification } = await judge(
        { hang: true },
        { accuracy: 0.95 },
        {
          sample: 8,
          ...params,
        },
        1,
      );
      expect(observation.value).toBeUndefined();
      expect(observation.noDataReason).toContain('canary 0 answered, 8 timeouts');
      expect(classification.verdict).toBe('inconclusive');
    },
  );
});
