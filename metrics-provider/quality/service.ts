// The quality service the provider wires in: datasets, one shared budget, the sampler, the store and the metrics
// behind observe() (the quality check's QualityObserver), sampleNow() and close().
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Agent } from 'undici';
import { DEFAULT_TOLERANCE, testConfig } from '../checks/comparisons.js';
import type { QualityObservation, QualityObserver, QualityQuestion } from '../checks/quality.js';
import { InvalidRequestError } from '../errors.js';
import { RequestBudget, systemClock, type BudgetOptions, type Clock } from './budget.js';
import { defaultDataset } from './dataset.js';
import { resolveEndpoint, type EndpointsConfig, type QualityTrack } from './endpoints.js';
import { QualityMetrics, QUALITY_METRICS } from './metrics.js';
import { qualityObservation } from './observation.js';
import { prometheusQualityObservation, type InstantQuery } from './prometheus-observation.js';
import { countOutcomes, pickItems, Sampler, type OutcomeCounts } from './sampler.js';
import { defaultScorers, type ScorerRegistry } from './scorers/registry.js';
import { QualityStore, trackKey, type QualityStoreOptions, type StoreKey } from './store.js';
import type { Dataset, PairResult } from './types.js';

export interface QualityServiceOptions {
  /** Where the quality metrics are registered (never the global registry). */
  readonly registry: Registry;
  readonly logger?: Logger;
  /** @default [defaultDataset()] */
  readonly datasets?: readonly Dataset[];
  readonly budget: BudgetOptions;
  /** Per-request timeout. @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly maxTokens?: number;
  readonly endpoints?: EndpointsConfig;
  readonly store?: QualityStoreOptions;
  /** How long observe() samples before judging (keep it under the provider's answer deadline). @default 6 */
  readonly sampleSeconds?: number;
  /** Judge from Prometheus (the scraped quality metrics) instead of this replica's memory. */
  readonly instantQuery?: InstantQuery;
  readonly scorers?: ScorerRegistry;
  readonly clock?: Clock;
}

export interface SampleNowRequest {
  readonly canary: QualityTrack;
  readonly stable?: QualityTrack;
  readonly dataset: string;
  /** Items to sample, each answered by both versions. */
  readonly n: number;
  /** Epoch ms or a Date: what is not scored by then is cancelled. */
  readonly deadline?: number | Date;
  readonly signal?: AbortSignal;
}

export interface SampleReport {
  readonly dataset: string;
  readonly requested: number;
  /** Items that were scored for every named version. */
  readonly scored: number;
  readonly complete: boolean;
  readonly counts: { readonly canary: OutcomeCounts; readonly stable?: OutcomeCounts };
  readonly pairs: readonly PairResult[];
}

export interface QualityService extends QualityObserver {
  observe(question: QualityQuestion): Promise<QualityObservation>;
  sampleNow(request: SampleNowRequest): Promise<SampleReport>;
  datasetNames(): string[];
  readonly store: QualityStore;
  /** Cancels samples in flight and closes connections. */
  close(): Promise<void>;
}

export function createQualityService(options: QualityServiceOptions): QualityService {
  const clock = options.clock ?? systemClock;
  const datasets = new Map((options.datasets ?? [defaultDataset()]).map((d) => [d.name, d]));
  const scorers = options.scorers ?? defaultScorers;
  const store = new QualityStore(options.store);
  const metrics = new QualityMetrics(options.registry);
  const dispatcher = new Agent({
    connections: Math.max(2, options.budget.concurrency),
    keepAliveTimeout: 10_000,
  });
  const sampler = new Sampler({
    budget: new RequestBudget(options.budget, clock),
    scorers,
    maxTokens: options.maxTokens ?? 256,
    timeoutMs: (options.timeoutSeconds ?? 30) * 1000,
    metrics,
    dispatcher,
    now: () => clock.now(),
  });
  const shutdown = new AbortController();
  const running = new Set<Promise<unknown>>();
  const cursors = new Map<string, number>();
  let closing: Promise<void> | undefined;

  const datasetNamed = (name: string): Dataset => {
    const dataset = datasets.get(name);
    if (dataset) return dataset;
    throw new InvalidRequestError(`unknown quality dataset ${JSON.stringify(name)}`, [
      { field: 'dataset', message: 'is not a loaded dataset', allowed: [...datasets.keys()].join(', ') },
    ]);
  };
  const storeKey = (dataset: string, canary: QualityTrack, stable?: QualityTrack): StoreKey => ({
    dataset,
    canary: trackKey(canary),
    ...(stable ? { stable: trackKey(stable) } : {}),
  });

  async function sampleNow(request: SampleNowRequest): Promise<SampleReport> {
    if (!Number.isInteger(request.n) || request.n < 0) {
      throw new InvalidRequestError('n must be an integer >= 0', [
        { field: 'sample', message: 'must be an integer >= 0' },
      ]);
    }
    shutdown.signal.throwIfAborted();
    const dataset = datasetNamed(request.dataset);
    const canary = resolveEndpoint(request.canary, 'canary', options.endpoints);
    const stable = request.stable ? resolveEndpoint(request.stable, 'stable', options.endpoints) : undefined;
    const key = storeKey(dataset.name, request.canary, request.stable);
    const cursorKey = JSON.stringify(key);
    const cursor = cursors.get(cursorKey) ?? 0;
    cursors.set(cursorKey, (cursor + request.n) % Math.max(1, dataset.items.length));

    const controller = new AbortController();
    const signals = [shutdown.signal, controller.signal, ...(request.signal ? [request.signal] : [])];
    const deadline = request.deadline instanceof Date ? request.deadline.getTime() : request.deadline;
    const timer =
      deadline === undefined
        ? undefined
        : setTimeout(
            () => controller.abort(new Error('sample deadline')),
            Math.max(0, deadline - clock.now()),
          );
    const work = sampler.samplePairs({
      dataset,
      items: pickItems(dataset, request.n, cursor),
      canary,
      ...(stable ? { stable } : {}),
      signal: AbortSignal.any(signals),
    });
    running.add(work);
    try {
      const pairs = await work;
      const kept = pairs.filter(
        (p) => p.canary.outcome !== 'cancelled' || (p.stable && p.stable.outcome !== 'cancelled'),
      );
      store.add(key, kept);
      const report = reportOf(dataset.name, request.n, pairs, stable !== undefined);
      options.logger?.info(
        {
          dataset: dataset.name,
          canary: canary.target,
          stable: stable?.target,
          scored: report.scored,
          counts: report.counts,
        },
        'quality sample',
      );
      return report;
    } finally {
      clearTimeout(timer);
      running.delete(work);
    }
  }

  async function observe(question: QualityQuestion): Promise<QualityObservation> {
    const { params, tracks } = question;
    const dataset = datasetNamed(params.dataset);
    if (params.sample > 0) {
      await sampleNow({
        canary: tracks.canary,
        ...(tracks.stable ? { stable: tracks.stable } : {}),
        dataset: dataset.name,
        n: params.sample,
        deadline: clock.now() + (options.sampleSeconds ?? 6) * 1000,
        signal: question.signal,
      });
    }
    const test = params.test && tracks.stable ? testConfig(params, DEFAULT_TOLERANCE.quality) : undefined;
    if (options.instantQuery) {
      return prometheusQualityObservation(options.instantQuery, {
        canary: tracks.canary,
        ...(tracks.stable ? { stable: tracks.stable } : {}),
        dataset: dataset.name,
        windowSeconds: question.windowSeconds,
        ...(test ? { test } : {}),
        signal: question.signal,
      });
    }
    const since = clock.now() - question.windowSeconds * 1000;
    const pairs = store.results(storeKey(dataset.name, tracks.canary, tracks.stable), since);
    return {
      metric: QUALITY_METRICS.score,
      queries: [],
      observation: qualityObservation(pairs, {
        paired: tracks.stable !== undefined,
        dataset: dataset.name,
        ...(test ? { test } : {}),
      }),
    };
  }

  return {
    observe,
    sampleNow,
    datasetNames: () => [...datasets.keys()],
    store,
    close() {
      closing ??= (async () => {
        shutdown.abort(new Error('quality service closing'));
        await Promise.allSettled([...running]);
        await dispatcher.close();
      })();
      return closing;
    },
  };
}

function reportOf(
  dataset: string,
  requested: number,
  pairs: readonly PairResult[],
  paired: boolean,
): SampleReport {
  const scored = pairs.filter(
    (p) => p.canary.outcome === 'answered' && (!paired || p.stable?.outcome === 'answered'),
  ).length;
  const cancelled = pairs.some((p) => p.canary.outcome === 'cancelled' || p.stable?.outcome === 'cancelled');
  return {
    dataset,
    requested,
    scored,
    complete: !cancelled,
    counts: {
      canary: countOutcomes(pairs, 'canary'),
      ...(paired ? { stable: countOutcomes(pairs, 'stable') } : {}),
    },
    pairs,
  };
}
