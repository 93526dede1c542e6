// Each worker's share of the limits set for the whole provider.
import { describe, expect, it } from 'vitest';
import { configFrom } from '../../../metrics-provider/config/index.js';
import { workerShare } from '../../../metrics-provider/workers/share.js';

function config(workers: number, quality: Record<string, unknown> = {}) {
  return configFrom({
    source: { type: 'prometheus', prometheus: { url: 'http://p:9090' } },
    server: { workers, rateLimit: { requestsPerSecond: 500, burst: 1000 } },
    quality: { requestsPerMinute: 60, concurrency: 4, ...quality },
  });
}

describe('workerShare', () => {
  it('when there is one worker then the configuration is unchanged', () => {
    const one = config(1);
    expect(workerShare(one)).toBe(one);
  });

  it.each([
    // workers, requests/s, burst, quality requests/min, quality concurrency
    [2, 250, 500, 30, 2],
    [3, 500 / 3, 334, 20, 1],
    [8, 62.5, 125, 7.5, 1],
  ])(
    'when there are %i workers then each takes %d requests/s, a burst of %i, %d quality requests/min and %i slots',
    (workers, perSecond, burst, perMinute, slots) => {
      const share = workerShare(config(workers));
      expect(share.server.rateLimit).toEqual({ requestsPerSecond: perSecond, burst });
      expect(share.quality.requestsPerMinute).toBeCloseTo(perMinute, 10);
      expect(share.quality.concurrency).toBe(slots);
      // What the workers take together is what the configuration allows.
      expect(share.server.rateLimit.requestsPerSecond * workers).toBeCloseTo(500, 10);
      expect(share.quality.requestsPerMinute * workers).toBeCloseTo(60, 10);
    },
  );

  it('when it shares then everything but the limits is kept', () => {
    const whole = config(2);
    const share = workerShare(whole);
    expect({
      ...share,
      server: { ...share.server, rateLimit: whole.server.rateLimit },
      quality: whole.quality,
    }).toEqual(whole);
  });
});
