// The traffic model: requests arrive as a Poisson process at `rate` per second; each goes to the canary with
// probability `weight`. Latencies are log-normal (e2e: median 0.8 s, p95 1.1 s; TTFT: median 0.08 s, p95 0.18 s);
// errors are independent with a fixed probability. A scenario changes the canary only.
import { REQUEST_LATENCY_BUCKETS, TTFT_BUCKETS } from '../../../metrics-provider/catalog/index.js';
import type { Random } from './random.js';

/** The signal a scenario is judged on: a latency histogram, or the error ratio. */
export type Signal = 'e2e' | 'ttft' | 'errors';

export const Z95 = 1.6448536;
export const E2E = { median: 0.8, sigma: Math.log(1.1 / 0.8) / Z95 };
export const TTFT = { median: 0.08, sigma: 0.5 };
export const STABLE_ERROR_RATE = 0.005;

export interface Scenario {
  readonly name: string;
  readonly signal: Signal;
  /** Identical versions: every fail is a false fail. */
  readonly aa: boolean;
  /** The canary's latency for a standard normal draw and a uniform draw (for mixtures). */
  readonly canaryLatency?: (z: number, u: number) => number;
  readonly canaryErrorRate?: number;
}

export const BUCKETS: Readonly<Record<'e2e' | 'ttft', readonly number[]>> = {
  e2e: [...REQUEST_LATENCY_BUCKETS, Number.POSITIVE_INFINITY],
  ttft: [...TTFT_BUCKETS, Number.POSITIVE_INFINITY],
};

export function stableLatency(signal: 'e2e' | 'ttft', z: number): number {
  const m = signal === 'e2e' ? E2E : TTFT;
  return m.median * Math.exp(m.sigma * z);
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'A/A e2e latency', signal: 'e2e', aa: true },
  { name: 'A/A TTFT', signal: 'ttft', aa: true },
  { name: 'A/A error ratio', signal: 'errors', aa: true },
  {
    name: 'e2e p95 +25%',
    signal: 'e2e',
    aa: false,
    canaryLatency: (z) => 1.25 * stableLatency('e2e', z),
  },
  {
    name: 'e2e p95 +40%',
    signal: 'e2e',
    aa: false,
    canaryLatency: (z) => 1.4 * stableLatency('e2e', z),
  },
  {
    name: 'TTFT x2 on 10% of requests',
    signal: 'ttft',
    aa: false,
    canaryLatency: (z, u) => (u < 0.1 ? 2 : 1) * stableLatency('ttft', z),
  },
  { name: '5xx 0.5% -> 2%', signal: 'errors', aa: false, canaryErrorRate: 0.02 },
];

/** One track's requests in one minute. */
export interface MinuteData {
  /** Raw latencies (empty for the error signal). */
  readonly samples: number[];
  /** Bucket increments over the signal's buckets (empty for the error signal). */
  readonly counts: number[];
  requests: number;
  failed: number;
}

export interface Minute {
  readonly canary: MinuteData;
  readonly stable: MinuteData;
}

/**
 * One minute of traffic. Before the canary starts (`canaryLive` false) stable takes everything, as it did before
 * the rollout step; the analysis window reaches back into that time.
 */
export function simulateMinute(
  scenario: Scenario,
  rate: number,
  weight: number,
  canaryLive: boolean,
  random: Random,
): Minute {
  const buckets = scenario.signal === 'errors' ? [] : BUCKETS[scenario.signal];
  const track = (): MinuteData => ({
    samples: [],
    counts: new Array<number>(buckets.length).fill(0),
    requests: 0,
    failed: 0,
  });
  const canary = track();
  const stable = track();
  for (let t = random.exponential(rate); t < 60; t += random.exponential(rate)) {
    const toCanary = canaryLive && random.next() < weight;
    const data = toCanary ? canary : stable;
    data.requests++;
    if (scenario.signal === 'errors') {
      const p = toCanary ? (scenario.canaryErrorRate ?? STABLE_ERROR_RATE) : STABLE_ERROR_RATE;
      if (random.next() < p) data.failed++;
      continue;
    }
    const z = random.normal();
    const u = random.next();
    const latency =
      toCanary && scenario.canaryLatency !== undefined
        ? scenario.canaryLatency(z, u)
        : stableLatency(scenario.signal, z);
    data.samples.push(latency);
    data.counts[bucketIndex(buckets, latency)]!++;
  }
  return { canary, stable };
}

/** The first bucket whose upper bound (le) holds the value. */
export function bucketIndex(upperBounds: readonly number[], value: number): number {
  let low = 0;
  let high = upperBounds.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (value <= upperBounds[mid]!) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** The sum of minutes in a window: what increase(...[5m]) answers, plus the raw samples for the oracle. */
export function windowOf(minutes: readonly Minute[], which: 'canary' | 'stable'): MinuteData {
  const first = minutes[0]![which];
  const out: MinuteData = {
    samples: [],
    counts: new Array<number>(first.counts.length).fill(0),
    requests: 0,
    failed: 0,
  };
  for (const minute of minutes) {
    const d = minute[which];
    for (const s of d.samples) out.samples.push(s);
    for (let i = 0; i < d.counts.length; i++) out.counts[i]! += d.counts[i]!;
    out.requests += d.requests;
    out.failed += d.failed;
  }
  return out;
}
