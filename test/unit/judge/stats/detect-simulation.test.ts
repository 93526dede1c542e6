// The benchmark's own code, small: 200 seeded analysis runs per scenario, through the same simulation and judge.
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../../bench/detect/model.js';
import { DEFAULT_SETUP, simulateScenario } from '../../../bench/detect/simulate.js';

const scenario = (name: string) => SCENARIOS.find((s) => s.name === name)!;
const setup = { ...DEFAULT_SETUP, weight: 0.1 };

describe('detection simulation (seeded, 200 runs)', () => {
  it('when canary and stable are identical then the judge fails at most 2% of the runs', () => {
    const summary = simulateScenario(scenario('A/A e2e latency'), setup, 200, 12345);
    expect(summary.judge.failed).toBeLessThanOrEqual(4);
  });

  it('when the canary is 40% slower at 10% of 10 req/s then the judge catches it in 95% of runs within 5 looks', () => {
    const summary = simulateScenario(scenario('e2e p95 +40%'), setup, 200, 12345);
    expect(summary.judge.failed).toBeGreaterThanOrEqual(190);
    expect(summary.fixed.failed).toBe(0);
  });
});
