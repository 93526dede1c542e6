import { describe, expect, it } from 'vitest';
import { parseCheckParams } from '../../../metrics-provider/checks/params.js';
import { latencyCheck } from '../../../metrics-provider/checks/latency.js';
import { InvalidRequestError } from '../../../metrics-provider/errors.js';

const base = { namespace: 'llm', model: 'llama-3-8b', canary: 'abc123', stable: 'def456' };

function problems(raw: unknown) {
  try {
    parseCheckParams(latencyCheck, raw);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.problems.map((p) => p.field).sort();
    throw error;
  }
  return [];
}

describe('check parameters', () => {
  it('when only the required parameters are given then defaults fill the rest', () => {
    expect(parseCheckParams(latencyCheck, base)).toEqual({
      ...base,
      by: 'pod-template-hash',
      window: '5m',
      minRequests: 50,
      test: true,
      confidence: 0.99,
      looks: 5,
      signal: 'e2e',
      quantile: 0.95,
    });
  });

  it('when values arrive as query-string text then they are coerced to their types', () => {
    const params = parseCheckParams(latencyCheck, {
      ...base,
      quantile: '0.99',
      minRequests: '10',
      test: 'false',
      max: '2.5',
    });
    expect(params.quantile).toBe(0.99);
    expect(params.minRequests).toBe(10);
    expect(params.test).toBe(false);
  });

  it.each([
    ['namespace missing', { model: 'm', canary: 'a' }, ['namespace']],
    ['a PromQL injection in canary', { ...base, canary: '"} or vector(1)' }, ['canary']],
    ['a brace in the namespace', { ...base, namespace: 'a}b' }, ['namespace']],
    ['a newline in the model', { ...base, model: 'a\nb' }, ['model']],
    ['a quote in the model', { ...base, model: 'a"b' }, ['model']],
    ['a very long model name', { ...base, model: 'm'.repeat(300) }, ['model']],
    ['a repeated parameter', { ...base, canary: ['a', 'b'] }, ['canary']],
    ['an unknown parameter', { ...base, maxratio: '2' }, ['maxratio']],
    ['an unknown signal', { ...base, signal: 'p99' }, ['signal']],
    ['a quantile of 1', { ...base, quantile: '1' }, ['quantile']],
    ['a quantile that is not a number', { ...base, quantile: 'high' }, ['quantile']],
    ['a window with two units', { ...base, window: '1h30m' }, ['window']],
    ['an overflowing number', { ...base, max: '1e309' }, ['max']],
    ['Infinity', { ...base, minRequests: 'Infinity' }, ['minRequests']],
    ['a hexadecimal number', { ...base, minRequests: '0x10' }, ['minRequests']],
    ['no limit and no test', { ...base, test: 'false' }, ['max']],
    ['a negative limit', { ...base, maxIncrease: '-1' }, ['maxIncrease']],
    ['an object where a string goes', { ...base, namespace: { a: 1 } }, ['namespace']],
    [
      'several problems at once',
      { namespace: 'A', model: 'm', canary: 'a', quantile: '2' },
      ['namespace', 'quantile'],
    ],
  ])('when %s then 400 names %j', (_name, raw, fields) => {
    expect(problems(raw)).toEqual(fields);
  });

  it('when a problem is reported then it says what is allowed', () => {
    try {
      parseCheckParams(latencyCheck, { ...base, signal: 'p99' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).problems[0]).toEqual({
        field: 'signal',
        message: 'is not one of the allowed values',
        allowed: 'e2e, ttft, itl, queue',
      });
    }
  });
});
