// The phases Argo Rollouts v1.9.1 reaches, from literal measurement sequences: metric phase, run phase, how many
// measurements were taken and when.
import { describe, expect, it } from 'vitest';
import { conditionPhase } from '../../../analysis-runner/index.js';
import { letters, metric, play, seconds } from './fixtures.js';

describe('conditionPhase: a measurement from its conditions', () => {
  it.each([
    ['both set, failure true', true, true, 'Failed'],
    ['both set, success true', true, false, 'Successful'],
    ['both set, neither true', false, false, 'Inconclusive'],
    ['only success, true', true, undefined, 'Successful'],
    ['only success, false (never Inconclusive)', false, undefined, 'Failed'],
    ['only failure, true', undefined, true, 'Failed'],
    ['only failure, false', undefined, false, 'Successful'],
    ['none set', undefined, undefined, 'Successful'],
  ] as const)('when %s then %s', (_name, success, failure, phase) => {
    expect(conditionPhase(success, failure)).toBe(phase);
  });
});

describe('a metric over its measurements', () => {
  it.each([
    // name, metric fields, script, expected metric phase, measurements taken
    ['count 3, all pass', { interval: '1m', count: 3 }, 'SSS', 'Successful', 'SSS'],
    ['neither interval nor count: one measurement', {}, 'SSS', 'Successful', 'S'],
    ['failureLimit 0 (default): the first failure', { interval: '1m', count: 5 }, 'SF', 'Failed', 'SF'],
    [
      'failureLimit 1: the second failure',
      { interval: '1m', count: 5, failureLimit: 1 },
      'SFSF',
      'Failed',
      'SFSF',
    ],
    [
      'count exhausted with failures within the limit',
      { interval: '1m', count: 3, failureLimit: 1 },
      'SFS',
      'Successful',
      'SFS',
    ],
    [
      'failureLimit -1 with consecutiveSuccessLimit: failures ignored',
      { interval: '1m', count: 4, failureLimit: -1, consecutiveSuccessLimit: 2 },
      'FFSS',
      'Successful',
      'FFSS',
    ],
    [
      'inconclusiveLimit 0 (default): the first inconclusive',
      { interval: '1m', count: 5 },
      'SI',
      'Inconclusive',
      'SI',
    ],
    [
      'inconclusiveLimit 2: the third inconclusive',
      { interval: '1m', count: 5, inconclusiveLimit: 2 },
      'IISII',
      'Inconclusive',
      'IISI',
    ],
    [
      'inconclusiveLimit 2, two inconclusive then passes',
      { interval: '1m', count: 5, inconclusiveLimit: 2 },
      'IISSS',
      'Successful',
      'IISSS',
    ],
    [
      'errors then recovery: errors do not consume the count',
      { interval: '1m', count: 3 },
      'EEESSS',
      'Successful',
      'EEESSS',
    ],
    [
      '4 consecutive errors are tolerated (default limit 4)',
      { interval: '1m', count: 2 },
      'EEEESS',
      'Successful',
      'EEEESS',
    ],
    [
      'the 5th consecutive error makes the metric Error',
      { interval: '1m', count: 3 },
      'SEEEEE',
      'Error',
      'SEEEEE',
    ],
    [
      'consecutiveErrorLimit 1: the second consecutive error',
      { interval: '1m', count: 3, consecutiveErrorLimit: 1 },
      'EE',
      'Error',
      'EE',
    ],
    [
      'errors that are not consecutive never add up',
      { interval: '1m', count: 4 },
      'EEEESEEEESEEEESS',
      'Successful',
      'EEEESEEEESEEEESS',
    ],
    [
      'consecutiveSuccessLimit 2 ends the metric early',
      { interval: '1m', count: 5, consecutiveSuccessLimit: 2 },
      'SS',
      'Successful',
      'SS',
    ],
    [
      'consecutiveSuccessLimit not reached, failureLimit not violated: Inconclusive',
      { interval: '1m', count: 4, failureLimit: 2, consecutiveSuccessLimit: 2 },
      'SFSF',
      'Inconclusive',
      'SFSF',
    ],
    [
      'consecutiveSuccessLimit not reached with failureLimit -1: Failed',
      { interval: '1m', count: 3, failureLimit: -1, consecutiveSuccessLimit: 3 },
      'SFS',
      'Failed',
      'SFS',
    ],
    ['count as a string (IntOrString)', { interval: '1m', count: '2' }, 'SS', 'Successful', 'SS'],
  ] as const)('when %s then the metric is %s', async (_name, fields, script, phase, taken) => {
    const result = await play([metric('m', fields)], { m: script });
    expect(result.metrics[0]?.phase).toBe(phase);
    expect(result.phase).toBe(phase);
    expect(letters(result, 'm')).toBe(taken);
  });

  it('when a measurement errors then the next one comes 10 s later, otherwise after the interval', async () => {
    const result = await play([metric('m', { interval: '1m', count: 3 })], { m: 'SESS' });
    expect(seconds(result, 'm')).toEqual([0, 60, 70, 130]);
  });

  it('when the metric has an initialDelay then the first measurement waits for it', async () => {
    const result = await play([metric('m', { interval: '30s', count: 2, initialDelay: '1m30s' })], {
      m: 'S',
    });
    expect(seconds(result, 'm')).toEqual([90, 120]);
  });

  it('when only an interval is set then the metric runs until stopped (--max-measurements) and is Successful', async () => {
    const result = await play([metric('m', { interval: '1m' })], { m: 'S' }, { maxMeasurements: 4 });
    expect(letters(result, 'm')).toBe('SSSS');
    expect(result.phase).toBe('Successful');
    expect(result.stopped).toBe(true);
  });
});

describe('the run over its metrics', () => {
  it('when one metric fails then the others stop measuring and the run is Failed with Argo message', async () => {
    const result = await play(
      [metric('latency', { interval: '1m', count: 5 }), metric('errors', { interval: '1m' })],
      { latency: 'SF', errors: 'S' },
    );
    expect(result.phase).toBe('Failed');
    expect(result.message).toBe('Metric "latency" assessed Failed due to failed (1) > failureLimit (0)');
    expect(result.metrics.map((m) => [m.name, m.phase])).toEqual([
      ['latency', 'Failed'],
      ['errors', 'Successful'],
    ]);
    expect(letters(result, 'errors')).toBe('SS');
  });

  it.each([
    ['Failed is worse than Error', { failureLimit: 4 }, 'F', 'Failed'],
    ['Error is worse than Inconclusive', { inconclusiveLimit: 4 }, 'I', 'Error'],
  ] as const)(
    'when two metrics complete in the same reconcile then the worst wins: %s',
    async (_name, limits, script, phase) => {
      const result = await play(
        [metric('a', { interval: '10s', count: 5, ...limits }), metric('b', { interval: '10s', count: 5 })],
        { a: script, b: 'E' },
      );
      expect(result.metrics.map((m) => m.measurements.length)).toEqual([5, 5]);
      expect(result.phase).toBe(phase);
    },
  );

  it('when a metric completes Inconclusive then another one stops retrying its error and ends Successful', async () => {
    const result = await play([metric('a'), metric('b', { interval: '10s', count: 1 })], { a: 'I', b: 'E' });
    expect(result.metrics.map((m) => [m.name, m.phase])).toEqual([
      ['a', 'Inconclusive'],
      ['b', 'Successful'],
    ]);
    expect(result.phase).toBe('Inconclusive');
  });

  it('when a dry-run metric fails then the run is still Successful and the metric shows Failed', async () => {
    const result = await play(
      [metric('latency', { interval: '1m', count: 2 }), metric('quality', { interval: '1m', count: 2 })],
      { latency: 'SS', quality: 'F' },
      { dryRun: ['quality'] },
    );
    expect(result.phase).toBe('Successful');
    expect(result.metrics.find((m) => m.name === 'quality')).toMatchObject({ phase: 'Failed', dryRun: true });
    expect(letters(result, 'latency')).toBe('SS');
  });

  it("when dryRun is '.*' (in the template) then every metric is dry-run and the run is Successful", async () => {
    const result = await play([metric('a'), metric('b')], { a: 'F', b: 'EEEEE' }, { templateDryRun: ['.*'] });
    expect(result.phase).toBe('Successful');
    expect(result.metrics.map((m) => m.phase)).toEqual(['Failed', 'Error']);
  });

  it("when a dryRun rule matches no metric then the run cannot start (Argo's message)", async () => {
    await expect(play([metric('a')], {}, { dryRun: ['nope'] })).rejects.toThrow(
      "dryRun[0]: Rule didn't match any metric name(s)",
    );
  });
});
