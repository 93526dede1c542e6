// The sampler: sends the same items to the canary and the stable version, in pairs, under the shared budget; scores
// each answer, records each finished request in the metrics, and reports the pairs with per-track outcome counts.
import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import type { RequestBudget } from './budget.js';
import type { Endpoint } from './endpoints.js';
import type { QualityMetrics } from './metrics.js';
import { complete, type Completion } from './openai-client.js';
import type { ScorerRegistry } from './scorers/registry.js';
import {
  FAILED_BELOW,
  type Dataset,
  type DatasetItem,
  type PairResult,
  type RequestOutcome,
  type Track,
} from './types.js';

export interface SamplerOptions {
  readonly budget: RequestBudget;
  readonly scorers: ScorerRegistry;
  readonly maxTokens: number;
  readonly timeoutMs: number;
  readonly metrics?: QualityMetrics;
  readonly dispatcher?: Dispatcher;
  readonly now?: () => number;
}

export interface PairRequest {
  readonly dataset: Dataset;
  readonly items: readonly DatasetItem[];
  readonly canary: Endpoint;
  readonly stable?: Endpoint;
  /** Cancels what has not finished (the deadline, or shutdown). */
  readonly signal?: AbortSignal;
}

export interface OutcomeCounts {
  answered: number;
  /** Answered and scored below 0.5 (also counted in `answered`). */
  failed: number;
  error: number;
  timeout: number;
  cancelled: number;
}

export const emptyCounts = (): OutcomeCounts => ({
  answered: 0,
  failed: 0,
  error: 0,
  timeout: 0,
  cancelled: 0,
});

export function countOutcomes(pairs: readonly PairResult[], track: Track): OutcomeCounts {
  const counts = emptyCounts();
  for (const pair of pairs) {
    const outcome = pair[track];
    if (!outcome) continue;
    counts[outcome.outcome] += 1;
    if (outcome.outcome === 'answered' && outcome.score < FAILED_BELOW) counts.failed += 1;
  }
  return counts;
}

/** `n` items of a dataset, in order from `cursor`, wrapping around (an item may come back when n > size). */
export function pickItems(dataset: Dataset, n: number, cursor: number): DatasetItem[] {
  const size = dataset.items.length;
  if (size === 0 || n <= 0) return [];
  return Array.from({ length: n }, (_, index) => dataset.items[(cursor + index) % size]!);
}

export class Sampler {
  constructor(private readonly options: SamplerOptions) {}

  /** Both versions answer every item; resolves when every pair has finished or been cancelled. */
  async samplePairs(request: PairRequest): Promise<PairResult[]> {
    const now = this.options.now ?? Date.now;
    // Every request of the sample waits on the one cancel signal: that is fan-out, not a leak.
    if (request.signal !== undefined) setMaxListeners(4 * request.items.length + 16, request.signal);
    const pairs = await Promise.all(
      request.items.map(async (item): Promise<PairResult> => {
        const [canary, stable] = await Promise.all([
          this.ask('canary', request.canary, item, request),
          request.stable ? this.ask('stable', request.stable, item, request) : Promise.resolve(undefined),
        ]);
        return { itemId: item.id, weight: item.weight, at: now(), canary, ...(stable ? { stable } : {}) };
      }),
    );
    return pairs;
  }

  private async ask(
    track: Track,
    endpoint: Endpoint,
    item: DatasetItem,
    request: PairRequest,
  ): Promise<RequestOutcome> {
    const { budget, maxTokens, timeoutMs, dispatcher, now } = this.options;
    let completion: Completion;
    try {
      completion = await budget.run(
        () =>
          complete(endpoint, item, {
            maxTokens,
            timeoutMs,
            ...(request.signal ? { signal: request.signal } : {}),
            ...(dispatcher ? { dispatcher } : {}),
            ...(now ? { now } : {}),
          }),
        request.signal,
      );
    } catch {
      // Only the budget's waits throw, and only when the signal aborts: never sent.
      completion = { kind: 'cancelled', reason: 'not sent before the deadline' };
    }
    const outcome = this.outcomeOf(completion, item);
    this.options.metrics?.record(track, request.dataset.name, endpoint, outcome, item.weight);
    return outcome;
  }

  private outcomeOf(completion: Completion, item: DatasetItem): RequestOutcome {
    switch (completion.kind) {
      case 'answered': {
        const { score, reason } = this.options.scorers.score(item, completion.text);
        return { outcome: 'answered', score, reason, latencyMs: completion.latencyMs };
      }
      case 'error':
        return { outcome: 'error', reason: completion.reason, latencyMs: completion.latencyMs };
      case 'timeout':
        return { outcome: 'timeout', reason: completion.reason, latencyMs: completion.latencyMs };
      case 'cancelled':
        return { outcome: 'cancelled', reason: completion.reason };
    }
  }
}
