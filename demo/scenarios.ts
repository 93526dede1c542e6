// The demo's scenarios: what the canary gets wrong, as an emulator profile, and what a correct analysis decides.
// The stable model is the same in all of them: e2e p95 near 1 s, no errors, moderate KV-cache use, 95% right answers.
import type { PartialProfile } from '../emulator/index.js';

export const SCENARIO_NAMES = ['slow', 'errors', 'kv-pressure', 'bad-answers', 'healthy'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface Scenario {
  readonly name: ScenarioName;
  readonly description: string;
  readonly canary: PartialProfile;
  /** What a correct analysis does with this canary. */
  readonly expected: 'promoted' | 'aborted';
}

export const STABLE_PROFILE: PartialProfile = {
  queueWait: { median: 0.005, sigma: 0.3 },
  ttft: { median: 0.15, sigma: 0.3 },
  interTokenLatency: { median: 0.02, sigma: 0.15 },
  outputTokens: { median: 30, sigma: 0.2 },
  loadFactor: 0,
  maxRunning: 256,
  errorRate: 0,
  kvCache: { base: 0.3, perRunning: 0.005 },
  accuracy: 0.95,
};

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  slow: {
    name: 'slow',
    description:
      'The canary is 40% slower end to end (p95 about 1.4 s against 1.0 s). A fixed "p95 < 2 s" threshold never sees it; comparing the two latency distributions does.',
    canary: { ttft: { median: 0.21, sigma: 0.3 }, interTokenLatency: { median: 0.028, sigma: 0.15 } },
    expected: 'aborted',
  },
  errors: {
    name: 'errors',
    description:
      'The canary answers 3% of requests with HTTP 500, under the usual "error ratio < 5%" threshold.',
    canary: { errorRate: 0.03 },
    expected: 'aborted',
  },
  'kv-pressure': {
    name: 'kv-pressure',
    description: 'The canary runs its KV cache at 97% and starts preempting requests.',
    canary: {
      kvCache: { base: 0.96, perRunning: 0.002 },
      preemption: { probability: 0.02, probabilityAtFull: 0.2, threshold: 0.9 },
    },
    expected: 'aborted',
  },
  'bad-answers': {
    name: 'bad-answers',
    description:
      'The canary is as fast as stable but answers the reference prompts right only 60% of the time (stable 95%).',
    canary: { accuracy: 0.6 },
    expected: 'aborted',
  },
  healthy: {
    name: 'healthy',
    description: 'The canary behaves exactly like stable; the rollout should be promoted step by step.',
    canary: {},
    expected: 'promoted',
  },
};
