// One analysis run in virtual time, and many of them. The canary starts at minute 0; Argo measures at the end of
// minutes 1..looks, each time over the last `windowMinutes` minutes (a sliding increase(...[5m]) window, which at
// first reaches back into the stable-only minutes before the canary started). A method's run fails at its first
// failing look, as Argo aborts on the first failed measurement.
import { fails, METHODS, type JudgeSettings, DEFAULT_SETTINGS, type MethodName } from './methods.js';
import { simulateMinute, windowOf, type Minute, type Scenario } from './model.js';
import { createRandom } from './random.js';

export interface RunSetup {
  /** Requests per second across both tracks. */
  readonly rate: number;
  /** The canary's share of the requests. */
  readonly weight: number;
  readonly looks: number;
  readonly windowMinutes: number;
  readonly settings: JudgeSettings;
}

export const DEFAULT_SETUP: Omit<RunSetup, 'weight'> = {
  rate: 10,
  looks: 5,
  windowMinutes: 5,
  settings: DEFAULT_SETTINGS,
};

/** For each method, the look (1-based, = minutes since the canary started) of the first fail, or undefined. */
export type RunOutcome = Readonly<Record<MethodName, number | undefined>>;

export function simulateRun(scenario: Scenario, setup: RunSetup, seed: number): RunOutcome {
  const random = createRandom(seed);
  const before = setup.windowMinutes - 1;
  const minutes: Minute[] = [];
  for (let m = -before + 1; m <= setup.looks; m++) {
    minutes.push(simulateMinute(scenario, setup.rate, setup.weight, m >= 1, random));
  }
  const outcome: Record<MethodName, number | undefined> = {
    fixed: undefined,
    oracle: undefined,
    judge: undefined,
  };
  for (let look = 1; look <= setup.looks; look++) {
    // minutes[i] is minute (i - before + 1); the window ends with minute `look`.
    const end = look + before;
    const window = minutes.slice(Math.max(0, end - setup.windowMinutes), end);
    const canary = windowOf(window, 'canary');
    const stable = windowOf(window, 'stable');
    for (const method of METHODS) {
      if (outcome[method] === undefined && fails(method, scenario.signal, canary, stable, setup.settings)) {
        outcome[method] = look;
      }
    }
  }
  return outcome;
}

export interface MethodSummary {
  readonly failed: number;
  readonly trials: number;
  /** Runs failed by the end of each look (index 0 = look 1). */
  readonly failedBy: readonly number[];
  /** Median look of the first fail among failed runs (minutes), undefined when none failed. */
  readonly medianLook: number | undefined;
}

export type ScenarioSummary = Readonly<Record<MethodName, MethodSummary>>;

/** `trials` runs with seeds derived from `seed`, so any one run can be replayed. */
export function simulateScenario(
  scenario: Scenario,
  setup: RunSetup,
  trials: number,
  seed: number,
): ScenarioSummary {
  const looks: Record<MethodName, number[]> = { fixed: [], oracle: [], judge: [] };
  for (let trial = 0; trial < trials; trial++) {
    const outcome = simulateRun(scenario, setup, (seed + Math.imul(trial, 0x9e3779b1)) >>> 0);
    for (const method of METHODS) {
      const look = outcome[method];
      if (look !== undefined) looks[method].push(look);
    }
  }
  const summarise = (found: number[]): MethodSummary => {
    const sorted = [...found].sort((a, b) => a - b);
    return {
      failed: found.length,
      trials,
      failedBy: Array.from({ length: setup.looks }, (_, i) => found.filter((l) => l <= i + 1).length),
      medianLook: sorted.length === 0 ? undefined : sorted[Math.floor((sorted.length - 1) / 2)],
    };
  };
  return { fixed: summarise(looks.fixed), oracle: summarise(looks.oracle), judge: summarise(looks.judge) };
}
