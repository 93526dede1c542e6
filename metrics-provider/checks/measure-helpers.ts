// Small steps the checks share: resolving which metric name a track exposes, and asking a source for both tracks.
import type { MetricSource, SignalAnswer, TrackSelector } from '../sources/metric-source.js';
import type { CheckContext } from './types.js';

/**
 * The first candidate the track's pods expose. vLLM renamed metrics between versions, and a canary on a new
 * version may expose a different name than stable; each track is resolved on its own. With a single candidate
 * nothing is asked. When none is present the first candidate is used and the query finds no data (NoData).
 */
export async function resolveMetricName(
  source: MetricSource,
  candidates: readonly string[],
  track: TrackSelector,
  signal: AbortSignal,
  suffix = '',
): Promise<string> {
  if (candidates.length === 1) return candidates[0]!;
  const present = await source.presentMetrics(
    candidates.map((c) => `${c}${suffix}`),
    track,
    signal,
  );
  const found = candidates.find((c) => present.includes(`${c}${suffix}`));
  return found ?? candidates[0]!;
}

export interface PerTrack<T> {
  readonly canary: T;
  readonly stable: T | undefined;
}

/** Runs the same question for canary and (when named) stable, concurrently. */
export async function forBothTracks<T>(
  context: CheckContext,
  ask: (track: TrackSelector) => Promise<T>,
): Promise<PerTrack<T>> {
  const { canary, stable } = context.tracks;
  const [c, s] = await Promise.all([ask(canary), stable === undefined ? undefined : ask(stable)]);
  return { canary: c, stable: s };
}

/**
 * The queries and unhealthy targets of a set of answers, for the explanation in the check's answer; a query asked
 * for both tracks at once is listed once.
 */
export function collect(answers: readonly (SignalAnswer<unknown> | undefined)[]): {
  queries: string[];
  unhealthyTargets: string[];
} {
  const present = answers.filter((a): a is SignalAnswer<unknown> => a !== undefined);
  return {
    queries: [...new Set(present.map((a) => a.query))],
    unhealthyTargets: [...new Set(present.flatMap((a) => a.unhealthyTargets ?? []))],
  };
}
