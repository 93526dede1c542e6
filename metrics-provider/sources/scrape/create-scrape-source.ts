// Builds the scrape source from its options: validates them with exact messages, derives the memory bound, wires
// the store, the scrape loops and the target discoveries, and starts them. Clock, timers, fetch and the KubeConfig
// are dependencies so tests hand in their own.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { Agent, fetch as undiciFetch } from 'undici';
import { DEFAULT_TRACK_LABELS, type TrackLabels } from '../prometheus/index.js';
import { KubernetesDiscovery, type KubernetesDiscoveryOptions } from './kubernetes-discovery.js';
import { PROMQL_SEMANTICS, type PromqlSemantics } from './promql-functions.js';
import { ScrapeSource } from './scrape-source.js';
import { Scraper, type Clock, type FetchLike, type Timers } from './scraper.js';
import { SeriesStore } from './series-store.js';
import { StaticDiscovery, type ScrapeTarget, type TargetDiscovery } from './targets.js';

export interface ScrapeSourceOptions {
  /** Seconds between two scrapes of a target. @default 15 */
  readonly intervalSeconds?: number;
  /** Seconds one scrape may take; at most the interval. @default 5 */
  readonly timeoutSeconds?: number;
  /**
   * Seconds of history kept; the longest window a query may ask for. @default 900, three times the templates'
   * 5-minute window: memory grows with it (docs/scrape-source.md)
   */
  readonly retentionSeconds?: number;
  /** Series kept at most; a scrape that needs more fails. @default 200000 */
  readonly maxSeries?: number;
  /** Samples kept per series. @default ceil(retentionSeconds / intervalSeconds) + 2 */
  readonly maxSamplesPerSeries?: number;
  /** Scrapes in flight at once. @default 8 */
  readonly concurrency?: number;
  /** A larger page fails the scrape. @default 16 MiB */
  readonly maxBodyBytes?: number;
  /** Use timestamps written in a page. @default true */
  readonly honorTimestamps?: boolean;
  /** How far back presentMetrics() looks for a sample (Prometheus' lookback delta). @default 300 */
  readonly lookbackSeconds?: number;
  /** Which Prometheus' arithmetic to reproduce (see promql-functions.ts). @default "prometheus-3" */
  readonly promql?: PromqlSemantics;
  /** Label names that select a track (the same setting as the Prometheus source's). */
  readonly labels?: Partial<TrackLabels>;
  readonly staticTargets?: readonly ScrapeTarget[];
  readonly kubernetes?: readonly KubernetesDiscoveryOptions[];
}

export interface ScrapeSourceDeps {
  readonly logger: Logger;
  /** @default Date.now */
  readonly clock?: Clock;
  /** @default the global setTimeout/clearTimeout (unref'd) */
  readonly timers?: Timers;
  /** @default undici's fetch on a keep-alive agent that close() shuts */
  readonly fetch?: FetchLike;
  /** Scrape on timers. Tests that call scrapeNow() themselves turn it off. @default true */
  readonly autoScrape?: boolean;
  /** For Kubernetes discovery, instead of loading a kubeconfig. */
  readonly kubeConfig?: KubeConfig;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Validated options with every default filled in. */
export function resolveScrapeOptions(options: ScrapeSourceOptions): Required<
  Omit<ScrapeSourceOptions, 'labels'>
> & {
  labels: TrackLabels;
} {
  const intervalSeconds = options.intervalSeconds ?? 15;
  const retentionSeconds = options.retentionSeconds ?? 900;
  const resolved = {
    intervalSeconds,
    timeoutSeconds: options.timeoutSeconds ?? Math.min(5, intervalSeconds),
    retentionSeconds,
    maxSeries: options.maxSeries ?? 200_000,
    maxSamplesPerSeries: options.maxSamplesPerSeries ?? Math.ceil(retentionSeconds / intervalSeconds) + 2,
    concurrency: options.concurrency ?? 8,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    honorTimestamps: options.honorTimestamps ?? true,
    lookbackSeconds: options.lookbackSeconds ?? 300,
    promql: options.promql ?? 'prometheus-3',
    labels: { ...DEFAULT_TRACK_LABELS, ...options.labels },
    staticTargets: options.staticTargets ?? [],
    kubernetes: options.kubernetes ?? [],
  };
  const positive = (name: keyof typeof resolved, integer: boolean): void => {
    const value = resolved[name] as number;
    if (!(Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))) {
      throw new Error(
        `scrape option ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`,
      );
    }
  };
  positive('intervalSeconds', false);
  positive('timeoutSeconds', false);
  positive('retentionSeconds', false);
  positive('lookbackSeconds', false);
  positive('maxSeries', true);
  positive('maxSamplesPerSeries', true);
  positive('concurrency', true);
  positive('maxBodyBytes', true);
  if (resolved.timeoutSeconds > resolved.intervalSeconds) {
    throw new Error(
      `scrape option timeoutSeconds (${resolved.timeoutSeconds}) must not exceed intervalSeconds (${intervalSeconds})`,
    );
  }
  if (resolved.maxSamplesPerSeries < 2) {
    throw new Error('scrape option maxSamplesPerSeries must be at least 2: increase() needs two samples');
  }
  if (!PROMQL_SEMANTICS.includes(resolved.promql)) {
    throw new Error(
      `scrape option promql must be one of ${PROMQL_SEMANTICS.join(', ')}, got ${String(resolved.promql)}`,
    );
  }
  return resolved;
}

/** Creates the scrape source and starts discovery and scraping; `await source.ready()` waits for the first listing. */
export function createScrapeSource(options: ScrapeSourceOptions, deps: ScrapeSourceDeps): ScrapeSource {
  const o = resolveScrapeOptions(options);
  const logger = deps.logger.child({ component: 'scrape-source' });
  const clock = deps.clock ?? { now: () => Date.now() };
  const timers = deps.timers ?? realTimers;
  const agent =
    deps.fetch === undefined ? new Agent({ keepAliveTimeout: 30_000, connections: 4 }) : undefined;
  const fetch: FetchLike =
    deps.fetch ??
    ((url, init) => undiciFetch(url, { ...init, dispatcher: agent }) as unknown as Promise<Response>);
  const store = new SeriesStore({
    maxSeries: o.maxSeries,
    maxSamplesPerSeries: o.maxSamplesPerSeries,
    retentionMs: o.retentionSeconds * 1000,
  });
  const autoScrape = deps.autoScrape ?? true;
  const scraper = new Scraper(
    {
      intervalMs: o.intervalSeconds * 1000,
      timeoutMs: o.timeoutSeconds * 1000,
      concurrency: o.concurrency,
      maxBodyBytes: o.maxBodyBytes,
      honorTimestamps: o.honorTimestamps,
      autoScrape,
    },
    { store, clock, timers, fetch, logger },
  );
  const discoveries: TargetDiscovery[] = [];
  if (o.staticTargets.length > 0) discoveries.push(new StaticDiscovery(o.staticTargets));
  for (const k of o.kubernetes) {
    discoveries.push(new KubernetesDiscovery(k, o.labels, { logger, timers, kubeConfig: deps.kubeConfig }));
  }
  // The first scrape of each target happens at its offset in the interval, as in Prometheus, not all at once now.
  const started = Promise.all(
    discoveries.map((d, i) => d.start((targets) => scraper.setTargets(i, targets))),
  ).then(() => undefined);
  started.catch((error: unknown) => logger.error({ error: String(error) }, 'scrape source failed to start'));
  logger.info(
    {
      targets: discoveries.map((d) => d.description),
      intervalSeconds: o.intervalSeconds,
      retentionSeconds: o.retentionSeconds,
      maxSeries: o.maxSeries,
      maxSamplesPerSeries: o.maxSamplesPerSeries,
      promql: o.promql,
    },
    'scrape source started',
  );
  return new ScrapeSource(
    {
      labels: o.labels,
      promql: o.promql,
      retentionMs: o.retentionSeconds * 1000,
      lookbackMs: o.lookbackSeconds * 1000,
    },
    store,
    scraper,
    discoveries,
    clock,
    logger,
    started,
    () => void agent?.close().catch(() => undefined),
  );
}
