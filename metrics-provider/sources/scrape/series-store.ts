// Bounded in-memory history of scraped series. Each series keeps at most `maxSamplesPerSeries` samples, compressed
// as they arrive in chunks of CHUNK_SAMPLES (sample-chunk.ts, about 2 bytes a sample instead of 16). The store keeps
// at most `maxSeries` series. A scrape that would need more series than the bound fails as a whole (as Prometheus'
// sample_limit does) rather than storing part of a page. Staleness is kept as the time a series went stale: range
// functions skip stale markers anyway, so only "is the newest entry a stale marker" matters for instant lookups.

import type { Labels } from './label-set.js';
import {
  appendSample,
  decodeChunk,
  isStorableTimestamp,
  readChunks,
  sealChunk,
  withoutOldest,
} from './sample-chunk.js';

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

/**
 * Samples per chunk. A query decodes at most one chunk beyond its window (a 5-minute window at 15 s is 20 samples),
 * and each chunk's header and first sample cost about 10 bytes: 16 keeps both small.
 */
export const CHUNK_SAMPLES = 16;
/**
 * The most a stored sample can take: 2 bytes when a counter moves by a small integer on time, and at most 18 (a
 * very late timestamp and a float64 value).
 */
export const MAX_BYTES_PER_SAMPLE = 18;
/**
 * Estimated fixed cost of one series besides its samples: the object, its label set (names and values are shared
 * with other series), its places in the store's maps and in its target's state. Measured with 500 emulated pods.
 */
export const SERIES_OVERHEAD_BYTES = 450;
/** What the memory bound allows per series besides samples: the fixed cost, and label text no other series shares. */
export const SERIES_ALLOWANCE_BYTES = 1024;
/** V8's header of a string: what each costs besides its contents. */
const STRING_HEADER_BYTES = 16;

export class Series {
  /** The sealed chunks, oldest first, in one string (sample-chunk.ts). */
  private chunks = '';
  private chunkCount = 0;
  /** The newest samples, encoded as they came, in a chunk not sealed yet. */
  private open = '';
  private openCount = 0;
  /**
   * The oldest samples that are dropped but still stored: whole chunks leave the string when the next chunk is
   * sealed, which saves rewriting it for every sample that passes retention.
   */
  private dropped = 0;
  /** Time of the newest sample ever appended, or -Infinity: older ones are refused even once it is dropped. */
  private newest = Number.NEGATIVE_INFINITY;
  /** Time of the stale marker written after the newest sample, if any. */
  staleSinceMs: number | undefined;

  constructor(
    /** The hash of the label set, under which the store keeps the series. */
    readonly hash: number,
    readonly name: string,
    readonly labels: Labels,
    private readonly maxSamples: number,
  ) {}

  get length(): number {
    return this.chunkCount * CHUNK_SAMPLES + this.openCount - this.dropped;
  }

  /** Time of the newest sample, or -Infinity. */
  get lastTimestamp(): number {
    return this.newest;
  }

  /**
   * Appends a sample; false (and nothing stored) when it is not newer than the newest one, as Prometheus drops it, or
   * its timestamp (a page's own) is out of bounds.
   */
  append(t: number, v: number): boolean {
    if (t <= this.newest || !isStorableTimestamp(t)) return false;
    if (this.openCount === CHUNK_SAMPLES) this.seal();
    this.open = appendSample(this.open, this.openCount, t, v);
    this.openCount += 1;
    this.newest = t;
    if (this.length > this.maxSamples) this.drop(this.length - this.maxSamples);
    this.staleSinceMs = undefined;
    return true;
  }

  /**
   * The samples in the range ending at `endMs` (inclusive) and starting at `startMs` (inclusive when `closedStart`,
   * as in Prometheus 2; exclusive otherwise, as in Prometheus 3), oldest first.
   */
  range(startMs: number, endMs: number, closedStart: boolean): { t: number[]; v: number[] } {
    const t: number[] = [];
    const v: number[] = [];
    const take = (ts: number, value: number) => {
      if ((ts > startMs || (ts === startMs && closedStart)) && ts <= endMs) {
        t.push(ts);
        v.push(value);
      }
    };
    const firstKept = Math.floor(this.dropped / CHUNK_SAMPLES);
    let previousEnd = Number.NEGATIVE_INFINITY;
    readChunks(this.chunks, (index, newest, at) => {
      if (previousEnd > endMs) return false;
      previousEnd = newest;
      if (index < firstKept || newest < startMs) return true;
      let skip = index === firstKept ? this.dropped % CHUNK_SAMPLES : 0;
      decodeChunk(this.chunks, at, CHUNK_SAMPLES, (ts, value) => {
        if (skip > 0) skip -= 1;
        else take(ts, value);
      });
      return true;
    });
    // Without sealed chunks, dropped samples are already gone from the open chunk (drop() rewrites it).
    if (previousEnd <= endMs) decodeChunk(this.open, 0, this.openCount, take);
    return { t, v };
  }

  /** Drops samples older than `cutoffMs`. */
  dropBefore(cutoffMs: number): void {
    // Chunks whose newest sample is older count whole, unread; the first one that is not is read.
    let older = 0;
    let reachedOpen = true;
    readChunks(this.chunks, (_index, newest, at) => {
      if (newest < cutoffMs) {
        older += CHUNK_SAMPLES;
        return true;
      }
      decodeChunk(this.chunks, at, CHUNK_SAMPLES, (ts) => {
        if (ts < cutoffMs) older += 1;
      });
      reachedOpen = false;
      return false;
    });
    if (reachedOpen) {
      decodeChunk(this.open, 0, this.openCount, (ts) => {
        if (ts < cutoffMs) older += 1;
      });
    }
    if (older > this.dropped) this.drop(older - this.dropped);
  }

  /** Bytes the samples take: the two strings of chunks. */
  sampleBytes(): number {
    return stringBytes(this.chunks) + stringBytes(this.open);
  }

  /** Marks the oldest `count` samples dropped. */
  private drop(count: number): void {
    this.dropped += count;
    const inChunks = this.chunkCount * CHUNK_SAMPLES;
    if (this.dropped >= inChunks && this.chunkCount > 0) {
      this.chunks = '';
      this.chunkCount = 0;
      this.dropped -= inChunks;
    }
    if (this.chunkCount === 0 && this.dropped > 0) {
      // Without sealed chunks the dropped samples are the open chunk's first: write it again without them.
      this.open = withoutOldest(this.open, this.openCount, this.dropped);
      this.openCount -= this.dropped;
      this.dropped = 0;
    }
  }

  /** Seals the full open chunk, leaving out chunks dropped whole. */
  private seal(): void {
    const skip = Math.floor(this.dropped / CHUNK_SAMPLES);
    this.chunks = sealChunk(this.chunks, skip, this.open, this.openCount);
    this.chunkCount += 1 - skip;
    this.dropped -= skip * CHUNK_SAMPLES;
    this.open = '';
    this.openCount = 0;
  }
}

function stringBytes(s: string): number {
  return s.length === 0 ? 0 : s.length + STRING_HEADER_BYTES;
}

/**
 * A hash of a label set (its name and labels in the order of their names), as a small integer, which V8 keeps
 * unboxed as a map key. Different sets may share one; the store tells them apart by comparing labels.
 */
export function labelsHash(name: string, labels: Labels): number {
  let h = fnv1a(FNV_OFFSET, name);
  for (const label of Object.keys(labels).sort()) {
    h = fnv1a(Math.imul(h ^ SEPARATOR, FNV_PRIME), label);
    h = fnv1a(Math.imul(h ^ SEPARATOR, FNV_PRIME), labels[label]!);
  }
  return h | 0;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Between name and value, as Prometheus' label hashing puts 0xff: "a" "bc" and "ab" "c" hash apart. */
const SEPARATOR = 0xffff;

function fnv1a(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Whether two label sets are the same, whatever the order of their labels. */
export function sameLabels(a: Labels, b: Labels): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => b[name] === a[name]);
}

export interface StoreStats {
  readonly series: number;
  readonly samples: number;
  /** Bytes the series hold in all: samples, labels and bookkeeping (estimated). */
  readonly bytes: number;
  /** Bytes the samples alone take. */
  readonly sampleBytes: number;
}

/**
 * The series, found by their label set. As in Prometheus' head, a series is kept under the hash of its labels, and
 * the rare series whose hash another already has wait in `conflicts`: no key string per series, which with a vLLM
 * series' ten labels would cost more than its samples.
 */
export class SeriesStore {
  private readonly unique = new Map<number, Series>();
  private readonly conflicts = new Map<number, Series[]>();
  private readonly byName = new Map<string, Set<Series>>();
  private count = 0;

  constructor(readonly limits: StoreLimits) {}

  get size(): number {
    return this.count;
  }

  /** The series with this name and label set, if the store has it. */
  find(name: string, labels: Labels, hash = labelsHash(name, labels)): Series | undefined {
    const same = (s: Series) => s.name === name && sameLabels(s.labels, labels);
    const first = this.unique.get(hash);
    if (first === undefined || same(first)) return first;
    return this.conflicts.get(hash)?.find(same);
  }

  /** Whether the store still holds this series (gc() and reserve() remove some). */
  holds(series: Series): boolean {
    return (
      this.unique.get(series.hash) === series || (this.conflicts.get(series.hash)?.includes(series) ?? false)
    );
  }

  /** Every series of one metric name. */
  named(name: string): Iterable<Series> {
    return this.byName.get(name) ?? [];
  }

  /**
   * Makes room for `missing` new series, evicting series that are stale or hold no recent sample (oldest first) but
   * none of `inUse`; throws SeriesLimitError when the rest alone would exceed the bound. Nothing is added here.
   */
  reserve(missing: number, nowMs: number, inUse: ReadonlySet<Series> = new Set()): void {
    const excess = this.count + missing - this.limits.maxSeries;
    if (excess <= 0) return;
    const cutoff = nowMs - this.limits.retentionMs;
    const evictable = [...this.all()]
      .filter((s) => !inUse.has(s) && (s.staleSinceMs !== undefined || s.lastTimestamp < cutoff))
      .sort((a, b) => a.lastTimestamp - b.lastTimestamp);
    if (evictable.length < excess) {
      throw new SeriesLimitError(this.count - evictable.length + missing, this.limits.maxSeries);
    }
    for (const s of evictable.slice(0, excess)) this.delete(s);
  }

  /** A new series with this name and label set (call find() first, and reserve() to respect the bound). */
  add(name: string, labels: Labels): Series {
    const hash = labelsHash(name, labels);
    const s = new Series(hash, name, labels, this.limits.maxSamplesPerSeries);
    if (!this.unique.has(hash)) this.unique.set(hash, s);
    else {
      const others = this.conflicts.get(hash);
      if (others === undefined) this.conflicts.set(hash, [s]);
      else others.push(s);
    }
    let named = this.byName.get(name);
    if (named === undefined) this.byName.set(name, (named = new Set()));
    named.add(s);
    this.count += 1;
    return s;
  }

  /** Writes a stale marker at `t` on each series still live whose newest sample is older. */
  markStale(series: Iterable<Series>, t: number): void {
    for (const s of series) {
      if (s.staleSinceMs === undefined && s.lastTimestamp < t) s.staleSinceMs = t;
    }
  }

  /** Drops samples past retention and series left with none. */
  gc(nowMs: number): void {
    const cutoff = nowMs - this.limits.retentionMs;
    for (const s of [...this.all()]) {
      s.dropBefore(cutoff);
      if (s.length === 0) this.delete(s);
    }
  }

  stats(): StoreStats {
    let samples = 0;
    let sampleBytes = 0;
    for (const s of this.all()) {
      samples += s.length;
      sampleBytes += s.sampleBytes();
    }
    return {
      series: this.count,
      samples,
      bytes: sampleBytes + this.count * SERIES_OVERHEAD_BYTES,
      sampleBytes,
    };
  }

  private *all(): IterableIterator<Series> {
    yield* this.unique.values();
    for (const others of this.conflicts.values()) yield* others;
  }

  private delete(s: Series): void {
    if (this.unique.get(s.hash) === s) {
      // The first of the conflicting series, if any, takes its place.
      const others = this.conflicts.get(s.hash);
      if (others === undefined) this.unique.delete(s.hash);
      else {
        this.unique.set(s.hash, others.shift()!);
        if (others.length === 0) this.conflicts.delete(s.hash);
      }
    } else {
      const others = this.conflicts.get(s.hash) ?? [];
      const at = others.indexOf(s);
      if (at < 0) return;
      others.splice(at, 1);
      if (others.length === 0) this.conflicts.delete(s.hash);
    }
    this.count -= 1;
    const named = this.byName.get(s.name);
    named?.delete(s);
    if (named?.size === 0) this.byName.delete(s.name);
  }
}
