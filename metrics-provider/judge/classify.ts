// classify(): one check's observation to a label and a one-line reason. Pure; deals with missing and thin data before
// applying any limit, so nothing that could not be measured ever becomes a pass.
import type { CheckJudgement, Classification, Label, Observation, Verdict } from './types.js';
import { formatFigure } from './format.js';

export function classify(judgement: CheckJudgement, observation: Observation): Classification {
  const { limits } = judgement;
  const { value, baseline, samples } = observation;
  const deviation =
    value !== undefined && baseline !== undefined && baseline !== 0 ? value / baseline : undefined;
  const fig = (x: number | undefined) => formatFigure(x, judgement.unit);
  const figures = `canary ${fig(value)} vs stable ${fig(baseline)}`;
  const result = (label: Label, reason: string): Classification => ({
    label,
    verdict: verdictOf(label, judgement),
    reason: `${judgement.figure}: ${reason}`,
    deviation,
  });

  if (value === undefined || !Number.isFinite(value)) {
    return result('NoData', observation.noDataReason ?? 'no canary data in the window');
  }
  if (samples.canary < limits.minSamples) {
    return result(
      'NoData',
      `only ${Math.round(samples.canary)} canary samples, need ${limits.minSamples} (${figures})`,
    );
  }

  const bad = judgement.direction === 'increase-is-bad' ? 'High' : 'Low';
  const worse = (a: number, b: number) => (judgement.direction === 'increase-is-bad' ? a > b : a < b);

  if (limits.absolute !== undefined && worse(value, limits.absolute)) {
    return result(bad, `${figures}, beyond the limit ${fig(limits.absolute)}`);
  }

  const needsBaseline =
    limits.ratio !== undefined ||
    limits.delta !== undefined ||
    observation.test !== undefined ||
    judgement.testRequired === true;
  if (needsBaseline) {
    const minBaseline = limits.minBaselineSamples ?? limits.minSamples;
    if (baseline === undefined || !Number.isFinite(baseline)) {
      return result('NoData', `no stable data to compare with (${figures})`);
    }
    if (samples.stable < minBaseline) {
      return result(
        'NoData',
        `only ${Math.round(samples.stable)} stable samples, need ${minBaseline} (${figures})`,
      );
    }
  }

  const test = observation.test;
  if (test === undefined && judgement.testRequired === true) {
    return result('NoData', `the comparison with stable could not be run (${figures})`);
  }
  // A relative limit is crossed by noise as easily as by a regression when the canary has little traffic. With the
  // test in force, crossing it fails only when the test also finds the canary significantly worse; without the
  // test, the limit applies as it stands.
  const relative = relativeBreach(judgement, value, baseline);
  if (relative !== undefined) {
    if (test === undefined || test.significant) {
      const significance =
        test === undefined ? '' : `, ${test.name} p=${formatP(test.pValue)} < ${formatP(test.alpha)}`;
      return result(bad, `${figures}, ${relative}${significance}`);
    }
  }
  if (test !== undefined && test.significant && test.beyondTolerance) {
    return result(
      bad,
      `${figures}, ${test.name} p=${formatP(test.pValue)} < ${formatP(test.alpha)} and ${test.effectName} ${test.effect.toFixed(2)} beyond tolerance`,
    );
  }

  const noise = relative === undefined ? '' : ` (${relative}, but not significant)`;
  const testNote = test === undefined ? '' : `, ${test.name} p=${formatP(test.pValue)}`;
  return result('Pass', `${figures}, within limits${testNote}${noise}`);
}

/** How the canary crosses a relative limit (ratio or delta to stable), or undefined when it does not. */
function relativeBreach(
  judgement: CheckJudgement,
  value: number,
  baseline: number | undefined,
): string | undefined {
  const { limits, direction } = judgement;
  if (baseline === undefined) return undefined;
  const fig = (x: number) => formatFigure(x, judgement.unit);
  if (limits.ratio !== undefined && baseline !== 0) {
    const ratio = value / baseline;
    if (direction === 'increase-is-bad' ? ratio > limits.ratio : ratio < limits.ratio) {
      return `ratio ${ratio.toFixed(2)} beyond ${limits.ratio}`;
    }
  }
  if (limits.delta !== undefined) {
    const change = direction === 'increase-is-bad' ? value - baseline : baseline - value;
    if (change > limits.delta) return `${fig(change)} worse, more than the allowed ${fig(limits.delta)}`;
  }
  return undefined;
}

export function verdictOf(label: Label, judgement: Pick<CheckJudgement, 'direction'>): Verdict {
  switch (label) {
    case 'Pass':
      return 'pass';
    case 'NoData':
      return 'inconclusive';
    case 'High':
      return judgement.direction === 'increase-is-bad' ? 'fail' : 'pass';
    case 'Low':
      return judgement.direction === 'decrease-is-bad' ? 'fail' : 'pass';
  }
}

function formatP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toPrecision(2);
}
