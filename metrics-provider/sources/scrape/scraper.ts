// The scrape loops: one per target, at a fixed offset within the interval (as Prometheus spreads targets), at most
// `concurrency` scrapes at once, each bounded by a timeout and a body size. A page is parsed whole before anything
// is stored; a failed, truncated or oversized scrape marks the target down and its series stale, and a series
// missing from a good scrape goes stale at that scrape's time, exactly where Prometheus writes its stale markers.
import type { Logger } from 'pino';
import { ExpositionError, parseExposition, type ParsedPage, type ParsedSample } from './exposition-parser.js';
import { fetchPage, Semaphore } from './fetch-page.js';
import { Interner, withTargetLabels, type Labels } from './label-set.js';
import { SeriesLimitError, type Series, type SeriesStore } from './series-store.js';
import { SeriesTextCache, type ParsedSeries } from './series-text.js';
import { displayUrl, targetKey, type ScrapeTarget } from './targets.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The slice of WHATWG fetch the scraper uses, so tests can hand in their own. */
export type FetchLike = (
  url: string,
  init: { readonly headers: Record<string, string>; readonly signal: AbortSignal },
) => Promise<Response>;

export interface ScraperOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly maxBodyBytes: number;
  /** Use timestamps written in the page (Prometheus' honor_timestamps, on by default there too). */
  readonly honorTimestamps: boolean;
  /** Scrape on timers; off when a test drives scrapes with scrapeAll(). */
  readonly autoScrape: boolean;
}

export interface ScraperDeps {
  readonly store: SeriesStore;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly fetch: FetchLike;
  readonly logger: Logger;
}

export type TargetHealth = 'unknown' | 'up' | 'down';

export interface TargetStatus {
  readonly target: ScrapeTarget;
  readonly health: TargetHealth;
  readonly lastError?: string;
  readonly lastScrapeMs?: number;
  readonly lastDurationMs?: number;
  /** Series the last good scrape wrote. */
  readonly series: number;
}

interface TargetState {
  readonly key: string;
  readonly target: ScrapeTarget;
  readonly offsetMs: number;
  health: TargetHealth;
  lastError?: string;
  lastScrapeMs?: number;
  lastDurationMs?: number;
  /** The series the last good scrape wrote without a timestamp of their own: those that go stale when it fails. */
  live: Series[];
  /** The stored series of each line of the last good page: the target's labels are added once, not every scrape. */
  stored: Map<ParsedSeries, Series>;
  timer?: unknown;
  controller?: AbortController;
  running?: Promise<void>;
  removed: boolean;
}

/**
 * A line of a page on its way to the store: with the series it goes to when the store has it, else with the labels to
 * store a new one with.
 */
type Row = { readonly sample: ParsedSample; readonly t: number; readonly explicit: boolean } & (
  | { readonly stored: Series }
  | { readonly stored: undefined; readonly labels: Labels }
);

// Distinct label names, values and metric names kept once for all targets: a vLLM page has a few hundred; the
// bound only keeps churning values (pod names that come and go) from piling up.
const INTERNED_STRINGS = 10_000;

export class Scraper {
  private readonly interner = new Interner(INTERNED_STRINGS);
  private readonly seriesTexts: SeriesTextCache;
  private readonly states = new Map<string, TargetState>();
  private readonly bySource = new Map<number, readonly ScrapeTarget[]>();
  private readonly gate: Semaphore;
  private closed = false;
  private lastGcMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: ScraperOptions,
    private readonly deps: ScraperDeps,
  ) {
    this.gate = new Semaphore(options.concurrency);
    this.seriesTexts = new SeriesTextCache(deps.store.limits.maxSeries);
  }

  /** Replaces the targets one discovery contributes; targets gone from every discovery stop and go stale. */
  setTargets(source: number, targets: readonly ScrapeTarget[]): void {
    if (this.closed) return;
    this.bySource.set(source, targets);
    const wanted = new Map<string, ScrapeTarget>();
    for (const list of this.bySource.values()) for (const t of list) wanted.set(targetKey(t), t);
    for (const [key, state] of this.states) {
      if (!wanted.has(key)) this.remove(state, 'target no longer discovered');
    }
    for (const [key, target] of wanted) {
      if (this.states.has(key)) continue;
      const state: TargetState = {
        key,
        target,
        offsetMs: hash(key) % this.options.intervalMs,
        health: 'unknown',
        live: [],
        stored: new Map(),
        removed: false,
      };
      this.states.set(key, state);
      this.deps.logger.info({ target: displayUrl(target.url), labels: target.labels }, 'scrape target added');
      if (this.options.autoScrape) this.schedule(state);
    }
  }

  /** Scrapes every target once now (after any scrape in flight), e.g. at start or from a test. */
  async scrapeAll(): Promise<void> {
    await Promise.all([...this.states.values()].map((s) => this.scrape(s)));
    this.deps.store.gc(this.deps.clock.now());
  }

  statuses(): TargetStatus[] {
    return [...this.states.values()].map((s) => ({
      target: s.target,
      health: s.health,
      lastError: s.lastError,
      lastScrapeMs: s.lastScrapeMs,
      lastDurationMs: s.lastDurationMs,
      series: s.live.length,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const states = [...this.states.values()];
    for (const s of states) this.remove(s, 'scrape source closed');
    await Promise.allSettled(states.map((s) => s.running));
  }

  private schedule(state: TargetState): void {
    if (state.removed || this.closed) return;
    const { intervalMs } = this.options;
    const now = this.deps.clock.now();
    const delay = intervalMs - ((((now - state.offsetMs) % intervalMs) + intervalMs) % intervalMs);
    state.timer = this.deps.timers.setTimeout(() => {
      state.timer = undefined;
      void this.scrape(state).finally(() => {
        this.collectGarbage();
        this.schedule(state);
      });
    }, delay);
  }

  /**
   * Drops samples past retention at most once an interval, not after every target's scrape: gc() walks every
   * series, so running it per scrape cost targets x series each interval (half the CPU with 500 pods). Samples
   * outlive retention by at most an interval, which the per-series bound already allows for (its "+ 2").
   */
  private collectGarbage(): void {
    const now = this.deps.clock.now();
    if (now - this.lastGcMs < this.options.intervalMs) return;
    this.lastGcMs = now;
    this.deps.store.gc(now);
  }

  private remove(state: TargetState, why: string): void {
    state.removed = true;
    this.states.delete(state.key);
    if (state.timer !== undefined) this.deps.timers.clearTimeout(state.timer);
    state.controller?.abort(new Error(why));
    this.deps.store.markStale(state.live, this.deps.clock.now());
    state.live = [];
    this.deps.logger.info({ target: displayUrl(state.target.url) }, `scrape target removed: ${why}`);
  }

  private scrape(state: TargetState): Promise<void> {
    const previous = state.running ?? Promise.resolve();
    const run = previous.then(() => this.gate.run(() => this.scrapeOnce(state)));
    state.running = run;
    return run;
  }

  private async scrapeOnce(state: TargetState): Promise<void> {
    if (state.removed || this.closed) return;
    const { clock, timers, logger } = this.deps;
    const started = clock.now();
    const controller = new AbortController();
    state.controller = controller;
    const timer = timers.setTimeout(
      () => controller.abort(new Error(`timed out after ${this.options.timeoutMs} ms`)),
      this.options.timeoutMs,
    );
    try {
      const text = await fetchPage(this.deps.fetch, state.target.url, controller.signal, this.options);
      const page = parseExposition(text, this.seriesTexts);
      if (state.removed) return;
      this.ingest(state, page, started);
      if (state.health !== 'up') logger.info({ target: displayUrl(state.target.url) }, 'scrape target up');
      state.health = 'up';
      state.lastError = undefined;
    } catch (error) {
      if (state.removed) return;
      const message = describe(error, controller.signal);
      if (state.health !== 'down' || state.lastError !== message) {
        logger.warn({ target: displayUrl(state.target.url), error: message }, 'scrape failed');
      }
      state.health = 'down';
      state.lastError = message;
      this.deps.store.markStale(state.live, started);
      state.live = [];
    } finally {
      timers.clearTimeout(timer);
      state.controller = undefined;
      state.lastScrapeMs = started;
      state.lastDurationMs = clock.now() - started;
    }
  }

  /** Stores a parsed page at `t`: all or nothing, then stale markers for the series it no longer has. */
  private ingest(state: TargetState, page: ParsedPage, t: number): void {
    const { store } = this.deps;
    const rows: Row[] = [];
    const inUse = new Set<Series>();
    let missing = 0;
    for (const sample of page.samples) {
      const explicit = this.options.honorTimestamps && sample.timestampMs !== undefined;
      const at = explicit ? sample.timestampMs! : t;
      const kept = state.stored.get(sample.series);
      if (kept !== undefined && store.holds(kept)) {
        rows.push({ sample, t: at, explicit, stored: kept });
        inUse.add(kept);
        continue;
      }
      const labels = this.storedLabels(state, sample.series);
      const found = store.find(sample.name, labels);
      if (found === undefined) missing += 1;
      else inUse.add(found);
      rows.push(
        found === undefined
          ? { sample, t: at, explicit, stored: undefined, labels }
          : { sample, t: at, explicit, stored: found },
      );
    }
    store.reserve(missing, t, inUse);
    const stored = new Map<ParsedSeries, Series>();
    const written = new Set<Series>();
    const live: Series[] = [];
    for (const row of rows) {
      // A new series is looked up again: an earlier line of this page may have added it.
      const series =
        row.stored !== undefined
          ? row.stored
          : (store.find(row.sample.name, row.labels) ??
            store.add(this.interner.intern(row.sample.name), row.labels));
      stored.set(row.sample.series, series);
      if (written.has(series)) continue; // a duplicate series in one page: Prometheus keeps the first as well
      written.add(series);
      series.append(row.t, row.sample.value);
      // Series with their own timestamps get no stale markers, as in Prometheus.
      if (!row.explicit) live.push(series);
    }
    // The series this page wrote have a sample at `t` now: only those it no longer has go stale.
    store.markStale(state.live, t);
    state.live = live;
    state.stored = stored;
  }

  /** The labels a series is stored with: the page's, interned, and the target's. */
  private storedLabels(state: TargetState, series: ParsedSeries): Labels {
    return withTargetLabels(state.target.labels, series.labels, (text) => this.interner.intern(text));
  }
}

function describe(error: unknown, signal: AbortSignal): string {
  if (signal.aborted && signal.reason instanceof Error) return signal.reason.message;
  if (error instanceof ExpositionError || error instanceof SeriesLimitError) return error.message;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** FNV-1a, to spread targets over the interval deterministically. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
