// The pure part of the emulator: what a request will look like, drawn from the profile with the seeded streams.
// Nothing here sleeps or touches the clock, so tests can draw thousands of requests and compare the distribution
// with the profile (for a given concurrency) without starting a server.
import type { Profile } from './profile.js';
import { requestRandom } from './random.js';

export type FinishedReason = 'stop' | 'length' | 'abort';

export interface LatencyInput {
  readonly seed: number;
  readonly requestIndex: number;
  /** Other requests running when this one is scheduled; each adds loadFactor to the latency multiplier. @default 0 */
  readonly running?: number;
  /** The request's max_tokens; profile.maxOutputTokens when absent. */
  readonly maxTokens?: number;
  /** A fixed answer length (an answer-book text) instead of a drawn one; still capped by max_tokens. */
  readonly outputTokens?: number;
}

export interface LatencyDraw {
  /** Base queue wait before the scheduler looks at the request (waiting for a free slot comes on top). */
  readonly queueWaitSeconds: number;
  /** 1 + loadFactor * running: the factor applied to prefill and inter-token times. */
  readonly loadMultiplier: number;
  /** Prefill time, scaled by load. */
  readonly ttftSeconds: number;
  readonly outputTokens: number;
  /** `length` when max_tokens cut the answer short, else `stop`. */
  readonly finishedReason: 'stop' | 'length';
  /** The gap before each token after the first (outputTokens - 1 values), scaled by load. */
  readonly interTokenSeconds: readonly number[];
  /** Sum of interTokenSeconds. */
  readonly decodeSeconds: number;
}

/**
 * Draws the latency parts of request `requestIndex`. The draws happen in a fixed order (queue, TTFT, token count,
 * then one per gap), so they depend only on seed, index and profile; `running` only scales them.
 */
export function drawLatency(profile: Profile, input: LatencyInput): LatencyDraw {
  const random = requestRandom(input.seed, input.requestIndex, 'latency');
  const loadMultiplier = 1 + profile.loadFactor * Math.max(0, input.running ?? 0);
  const queueWaitSeconds = random.logNormal(profile.queueWait.median, profile.queueWait.sigma);
  const ttftSeconds = random.logNormal(profile.ttft.median, profile.ttft.sigma) * loadMultiplier;
  const drawnTokens = Math.max(
    1,
    Math.round(random.logNormal(profile.outputTokens.median, profile.outputTokens.sigma)),
  );
  const wanted = input.outputTokens ?? drawnTokens;
  const cap = input.maxTokens ?? profile.maxOutputTokens;
  const outputTokens = Math.max(1, Math.min(wanted, cap));
  const interTokenSeconds: number[] = [];
  let decodeSeconds = 0;
  for (let token = 1; token < outputTokens; token += 1) {
    const gap =
      random.logNormal(profile.interTokenLatency.median, profile.interTokenLatency.sigma) * loadMultiplier;
    interTokenSeconds.push(gap);
    decodeSeconds += gap;
  }
  return {
    queueWaitSeconds,
    loadMultiplier,
    ttftSeconds,
    outputTokens,
    finishedReason: wanted > cap ? 'length' : 'stop',
    interTokenSeconds,
    decodeSeconds,
  };
}

export interface OutcomeDraw {
  /** The request answers HTTP 500 after its prefill. */
  readonly error: boolean;
  /** The request stalls for profile.stallSeconds before its first token. */
  readonly stalled: boolean;
  /** The request is aborted after `abortAfterFraction` of its output. */
  readonly aborted: boolean;
  readonly abortAfterFraction: number;
  /** Uniform draw compared with the preemption probability once the KV usage at scheduling is known. */
  readonly preemptionDraw: number;
}

/** Draws the fault outcome of request `requestIndex`; every draw is made whatever the profile, to keep the order fixed. */
export function drawOutcome(profile: Profile, seed: number, requestIndex: number): OutcomeDraw {
  const random = requestRandom(seed, requestIndex, 'outcome');
  const errorDraw = random.next();
  const stallDraw = random.next();
  const abortDraw = random.next();
  const abortAfterFraction = random.next();
  const preemptionDraw = random.next();
  const error = errorDraw < profile.errorRate;
  return {
    error,
    stalled: !error && (profile.hang || stallDraw < profile.timeoutRate),
    aborted: !error && abortDraw < profile.abortRate,
    abortAfterFraction,
    preemptionDraw,
  };
}

/** KV-cache usage fraction with `running` requests in the batch. */
export function kvCacheUsage(profile: Profile, running: number): number {
  return Math.min(1, profile.kvCache.base + profile.kvCache.perRunning * running);
}

/** Preemption probability at a KV usage: flat below the threshold, then rising linearly to probabilityAtFull at 1. */
export function preemptionProbability(profile: Profile, kvUsage: number): number {
  const { probability, probabilityAtFull, threshold } = profile.preemption;
  const pressure = Math.max(0, Math.min(1, (kvUsage - threshold) / (1 - threshold)));
  return probability + (Math.max(probability, probabilityAtFull) - probability) * pressure;
}
