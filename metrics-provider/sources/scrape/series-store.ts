// Bounded in-memory history of scraped series. Each series keeps its samples in a ring of at most
// `maxSamplesPerSeries` (timestamps and values as float64: 16 bytes a sample), grown on demand, and the store keeps
// at most `maxSeries` series. A scrape that would need more series than the bound fails as a whole (as Prometheus'
// sample_limit does) rather than storing part of a page. Staleness is kept as the time a series went stale: range
// functions skip stale markers anyway, so only "is the newest entry a stale marker" matters for instant lookups.

import type { Labels } from './label-set.js';

export interface StoreLimits {
  readonly maxSeries: number;
  readonly maxSamplesPerSeries: number;
  /** Samples older than this (before now) are dropped by gc(). */
  readonly retentionMs: number;
}

export class SeriesLimitError extends Error {
  constructor(needed: number, limit: number) {
    super(`series limit reached: the scrape needs ${needed} series, the limit is ${limit}`);
    this.name = 'SeriesLimitError';
  }
}

/** Bytes per stored sample: a float64 timestamp and a float64 value. */
export const BYTES_PER_SAMPLE = 16;
/** Estimated fixed cost of one series besides its samples and label text (objects, map entries, arrays). */
export const SERIES_OVERHEAD_BYTES = 600;
/** What the memory bound allows per series besides samples: the fixed cost plus label text of a vLLM series. */
export const SERIES_ALLOWANCE_BYTES = 1024;
const INITIAL_CAPACITY = 8;

export class Series {
  /**
   * The ring: sample i at [2i] (timestamp) and [2i + 1] (value). One array rather than one for timestamps and one
   * for values, and a plain array of doubles (V8 stores it unboxed, 8 bytes a number) rather than a Float64Array,
   * whose buffer object and separately allocated store cost more than a short series' samples themselves.
   */
  private ring: number[];
  private head = 0; // index of the oldest sample
  private size = 0;
  /** Time of the stale marker written after the newest sample, if any. */
  staleSinceMs: number | undefined;

  constructor(
    readonly key: string,
    readonly name: string,
    readonly labels: Labels,
    private readonly maxSamples: number,
  ) {
    this.ring = doubles(2 * Math.min(INITIAL_CAPACITY, maxSamples));
  }

  get length(): number {
    return this.size;
  }

  /** Samples the buffer holds before it grows (or, at maxSamples, overwrites the oldest). */
  get capacity(): number {
    return this.ring.length / 2;
  }

  /** Time of the newest sample, or -Infinity. */
  get lastTimestamp(): number {
    return this.size === 0 ? Number.NEGATIVE_INFINITY : this.ring[this.index(this.size - 1)]!;
  }

  /** Appends a sample; false (and nothing stored) when it is not newer than the newest one, as Prometheus drops it. */
  append(t: number, v: number): boolean {
    if (t <= this.lastTimestamp) return false;
    const capacity = this.capacity;
    if (this.size === capacity && capacity < this.maxSamples) this.grow();
    if (this.size === this.capacity) {
      this.head = (this.head + 1) % this.capacity; // full: overwrite the oldest
      this.size -= 1;
    }
    const at = this.index(this.size);
    this.ring[at] = t;
    this.ring[at + 1] = v;
    this.size += 1;
    this.staleSinceMs = undefined;
    return true;
  }

  /**
   * The samples in the range ending at `endMs` (inclusive) and starting at `startMs` (inclusive when `closedStart`,
   * as in Prometheus 2; exclusive otherwise, as in Prometheus 3), oldest first.
   */
  range(startMs: number, endMs: number, closedStart: boolean): { t: number[]; v: number[] } {
    let first = this.size;
    for (let i = this.size - 1; i >= 0; i--) {
      const t = this.ring[this.index(i)]!;
      if (t < startMs || (t === startMs && !closedStart)) break;
      first = i;
    }
    const t: number[] = [];
    const v: number[] = [];
    for (let j = first; j < this.size; j++) {
      const at = this.index(j);
      if (this.ring[at]! > endMs) break;
      t.push(this.ring[at]!);
      v.push(this.ring[at + 1]!);
    }
    return { t, v };
  }

  /** Drops samples older than `cutoffMs`. */
  dropBefore(cutoffMs: number): void {
    while (this.size > 0 && this.ring[2 * this.head]! < cutoffMs) {
      this.head = (this.head + 1) % this.capacity;
      this.size -= 1;
    }
  }

  /** Approximate bytes held: sample buffers plus label text and fixed overhead. */
  bytes(): number {
    return this.capacity * BYTES_PER_SAMPLE + this.key.length * 2 + SERIES_OVERHEAD_BYTES;
  }

  private grow(): void {
    const ring = doubles(2 * Math.min(this.capacity * 2, this.maxSamples));
    for (let i = 0; i < this.size; i++) {
      const at = this.index(i);
      ring[2 * i] = this.ring[at]!;
      ring[2 * i + 1] = this.ring[at + 1]!;
    }
    this.ring = ring;
    this.head = 0;
  }

  /** Where sample i (0 = oldest) starts in the ring. */
  private index(i: number): number {
    return 2 * ((this.head + i) % this.capacity);
  }
}

/** An array of `length` numbers that V8 keeps as unboxed doubles (filled with 0.5, never a small integer). */
function doubles(length: number): number[] {
  return new Array<number>(length).fill(0.5);
}

/** The canonical identity of a label set: name plus sorted labels, unambiguous for any label value. */
export function seriesKey(name: string, labels: Labels): string {
  const names = Object.keys(labels).sort();
  return JSON.stringify([name, ...names.map((n) => [n, labels[n]])]);
}

export interface StoreStats {
  readonly series: number;
  readonly samples: number;
  readonly bytes: number;
}

export class SeriesStore {
  private readonly series = new Map<string, Series>();
  private readonly byName = new Map<string, Set<Series>>();

  constructor(readonly limits: StoreLimits) {}

  get size(): number {
    return this.series.size;
  }

  get(key: string): Series | undefined {
    return this.series.get(key);
  }

  /** Every series of one metric name. */
  named(name: string): Iterable<Series> {
    return this.byName.get(name) ?? [];
  }

  /**
   * Makes room for `keys` to exist, evicting series that are stale or hold no recent sample (oldest first);
   * throws SeriesLimitError when live series alone would exceed the bound. Nothing is added here.
   */
  reserve(keys: Iterable<string>, nowMs: number): void {
    let missing = 0;
    for (const key of keys) if (!this.series.has(key)) missing += 1;
    const excess = this.series.size + missing - this.limits.maxSeries;
    if (excess <= 0) return;
    const cutoff = nowMs - this.limits.retentionMs;
    const evictable = [...this.series.values()]
      .filter((s) => s.staleSinceMs !== undefined || s.lastTimestamp < cutoff)
      .sort((a, b) => a.lastTimestamp - b.lastTimestamp);
    if (evictable.length < excess) {
      throw new SeriesLimitError(this.series.size - evictable.length + missing, this.limits.maxSeries);
    }
    for (const s of evictable.slice(0, excess)) this.delete(s);
  }

  /** The series for `key`, created when new (call reserve() first to respect the bound). */
  upsert(key: string, name: string, labels: Labels): Series {
    let s = this.series.get(key);
    if (s === undefined) {
      s = new Series(key, name, labels, this.limits.maxSamplesPerSeries);
      this.series.set(key, s);
      let named = this.byName.get(name);
      if (named === undefined) this.byName.set(name, (named = new Set()));
      named.add(s);
    }
    return s;
  }

  /** Writes a stale marker at `t` on each series still live. */
  markStale(keys: Iterable<string>, t: number): void {
    for (const key of keys) {
      const s = this.series.get(key);
      if (s !== undefined && s.staleSinceMs === undefined && s.lastTimestamp < t) s.staleSinceMs = t;
    }
  }

  /** Drops samples past retention and series left with none. */
  gc(nowMs: number): void {
    const cutoff = nowMs - this.limits.retentionMs;
    for (const s of this.series.values()) {
      s.dropBefore(cutoff);
      if (s.length === 0) this.delete(s);
    }
  }

  stats(): StoreStats {
    let samples = 0;
    let bytes = 0;
    for (const s of this.series.values()) {
      samples += s.length;
      bytes += s.bytes();
    }
    return { series: this.series.size, samples, bytes };
  }

  private delete(s: Series): void {
    this.series.delete(s.key);
    const named = this.byName.get(s.name);
    named?.delete(s);
    if (named?.size === 0) this.byName.delete(s.name);
  }
}
