// Judging a 2xx body the way Argo's web provider does: JSON, jsonPath, conditions; every failure an Error with
// Argo's message; a non-JSON body Successful without judging (the v1.9.1 quirk, flagged).
import { describe, expect, it } from 'vitest';
import { planAnalysis } from '../../../analysis-runner/index.js';
import { judge } from '../../../analysis-runner/measure.js';
import { metric, template } from './fixtures.js';

function plan(fields: Parameters<typeof metric>[1] = {}) {
  const p = planAnalysis({ templates: [template([metric('m', fields)])] }).metrics[0];
  if (p === undefined) throw new Error('no plan');
  return p;
}

describe('judge', () => {
  it.each([
    ['{"verdict":"pass","reason":"p95 fine"}', 'Successful', '"pass"'],
    ['{"verdict":"fail","reason":"p95 too high"}', 'Failed', '"fail"'],
    ['{"verdict":"inconclusive","reason":"12 requests < 50"}', 'Inconclusive', '"inconclusive"'],
  ])('when the body is %s then %s with value %s and the reason kept', (body, phase, value) => {
    const m = judge(plan(), body);
    expect(m).toMatchObject({ phase, value });
    expect(m.reason).toBe(JSON.parse(body).reason);
  });

  it("when the key is missing then Error with Argo's message", () => {
    expect(judge(plan(), '{"verdict_":"pass"}')).toMatchObject({
      phase: 'Error',
      message: 'Could not find JSONPath in body: verdict is not found',
    });
  });

  it('when the condition does not give a bool then Error', () => {
    expect(
      judge(plan({ successCondition: 'result', failureCondition: '' }), '{"verdict":"pass"}'),
    ).toMatchObject({
      phase: 'Error',
      message: 'expected bool, but got string',
    });
  });

  it.each(['pass', '', '<html>ok</html>'])(
    'when a 2xx body is not JSON (%j) then Successful without judging, flagged as the v1.9.1 quirk',
    (body) => {
      expect(judge(plan(), body)).toEqual({ phase: 'Successful', value: body, nonJsonQuirk: true });
    },
  );
});
