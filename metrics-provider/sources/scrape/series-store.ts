// Bounded in-memory history of scraped series. Each series keeps at most `maxSamplesPerSeries` samples: the newest
// ones in a small raw buffer (the head), older ones compressed in chunks of CHUNK_SAMPLES (sample-chunk.ts, about 2
// bytes a sample instead of 16). The store keeps at most `maxSeries` series. A scrape that would need more series
// than the bound fails as a whole (as Prometheus' sample_limit does) rather than storing part of a page. Staleness
// is kept as the time a series went stale: range functions skip stale markers anyway, so only "is the newest entry
// a stale marker" matters for instant lookups.

import type { Labels } from './label-set.js';
import { appendChunk, decodeChunk, isStorableTimestamp, readChunks } from './sample-chunk.js';

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
 * Samples per compressed chunk. The head holds up to this many raw (16 bytes each), and a query decodes at most one
 * chunk beyond its window: 16 keeps both small (a 5-minute window at 15 s is 20 samples).
 */
export const CHUNK_SAMPLES = 16;
/**
 * The most a stored sample can take: a raw one in the head (two float64s) is 16 bytes; a compressed one 2 bytes when
 * a counter moves by a small integer on time, and at most 18 (a very late timestamp and a float64 value).
 */
export const MAX_BYTES_PER_SAMPLE = 18;
/** Estimated fixed cost of one series besides its samples and label text (objects, map entries, arrays). */
export const SERIES_OVERHEAD_BYTES = 600;
/** What the memory bound allows per series besides samples: the fixed cost plus label text of a vLLM series. */
export const SERIES_ALLOWANCE_BYTES = 1024;
/** V8's header of a string, and of an array's store: what each costs besides its contents. */
const HEADER_BYTES = 16;
const INITIAL_HEAD_CAPACITY = 4;

export class Series {
  /** The compressed chunks, oldest first, in one string (sample-chunk.ts). */
  private chunks = '';
  private chunkCount = 0;
  /** Newest timestamp in the chunks. */
  private chunksEnd = Number.NEGATIVE_INFINITY;
  /**
   * The newest samples, uncompressed: sample i at [2i] (timestamp) and [2i + 1] (value). A plain array of doubles
   * (V8 stores it unboxed, 8 bytes a number) rather than a Float64Array, whose buffer object and separately
   * allocated store cost more than a short series' samples themselves. Grown on demand up to CHUNK_SAMPLES.
   */
  private head: number[];
  private headSize = 0;
  /**
   * The oldest samples that are dropped but still stored: whole chunks leave the string when the next chunk is
   * written, which saves rewriting it for every sample that passes retention.
   */
  private dropped = 0;
  /** Time of the stale marker written after the newest sample, if any. */
  staleSinceMs: number | undefined;

  constructor(
    readonly key: string,
    readonly name: string,
    readonly labels: Labels,
    private readonly maxSamples: number,
  ) {
    this.head = doubles(2 * INITIAL_HEAD_CAPACITY);
  }

  get length(): number {
    return this.chunkCount * CHUNK_SAMPLES + this.headSize - this.dropped;
  }

  /** Time of the newest sample, or -Infinity. */
  get lastTimestamp(): number {
    return this.headSize > 0 ? this.head[2 * (this.headSize - 1)]! : this.chunksEnd;
  }

  /**
   * Appends a sample; false (and nothing stored) when it is not newer than the newest one, as Prometheus drops it, or
   * its timestamp (a page's own) is out of bounds.
   */
  append(t: number, v: number): boolean {
    if (t <= this.lastTimestamp || !isStorableTimestamp(t)) return false;
    if (this.headSize === CHUNK_SAMPLES) this.seal();
    if (2 * this.headSize === this.head.length) this.growHead();
    this.head[2 * this.headSize] = t;
    this.head[2 * this.headSize + 1] = v;
    this.headSize += 1;
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
    // Without chunks, dropped samples are already gone from the head (drop() moves the rest up).
    for (let i = 0; i < this.headSize; i++) take(this.head[2 * i]!, this.head[2 * i + 1]!);
    return { t, v };
  }

  /** Drops samples older than `cutoffMs`. */
  dropBefore(cutoffMs: number): void {
    // Chunks whose newest sample is older count whole, unread; the first one that is not is read.
    let older = 0;
    let reachedHead = true;
    readChunks(this.chunks, (_index, newest, at) => {
      if (newest < cutoffMs) {
        older += CHUNK_SAMPLES;
        return true;
      }
      decodeChunk(this.chunks, at, CHUNK_SAMPLES, (ts) => {
        if (ts < cutoffMs) older += 1;
      });
      reachedHead = false;
      return false;
    });
    if (reachedHead) for (let i = 0; i < this.headSize; i++) if (this.head[2 * i]! < cutoffMs) older += 1;
    if (older > this.dropped) this.drop(older - this.dropped);
  }

  /** Approximate bytes held: samples (compressed and raw) plus label text and fixed overhead. */
  bytes(): number {
    return this.sampleBytes() + this.key.length * 2 + SERIES_OVERHEAD_BYTES;
  }

  /** Bytes the samples take: the chunks' string and the head's buffer. */
  sampleBytes(): number {
    return this.chunks.length + HEADER_BYTES + 8 * this.head.length + HEADER_BYTES;
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
      // Without chunks the dropped samples are the head's first: move the rest up.
      const keep = this.headSize - this.dropped;
      for (let i = 0; i < 2 * keep; i++) this.head[i] = this.head[i + 2 * this.dropped]!;
      this.headSize = keep;
      this.dropped = 0;
    }
  }

  /** Compresses the full head into a chunk, leaving out chunks dropped whole. */
  private seal(): void {
    const head = this.head;
    const skip = Math.floor(this.dropped / CHUNK_SAMPLES);
    this.chunks = appendChunk(
      this.chunks,
      skip,
      CHUNK_SAMPLES,
      (i) => head[2 * i]!,
      (i) => head[2 * i + 1]!,
    );
    this.chunkCount += 1 - skip;
    this.dropped -= skip * CHUNK_SAMPLES;
    this.chunksEnd = head[2 * (CHUNK_SAMPLES - 1)]!;
    this.headSize = 0;
  }

  private growHead(): void {
    const head = doubles(Math.min(this.head.length * 2, 2 * CHUNK_SAMPLES));
    for (let i = 0; i < 2 * this.headSize; i++) head[i] = this.head[i]!;
    this.head = head;
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
  /** Bytes the series hold in all: samples, label text and bookkeeping (estimated). */
  readonly bytes: number;
  /** Bytes the samples alone take. */
  readonly sampleBytes: number;
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
    let sampleBytes = 0;
    for (const s of this.series.values()) {
      samples += s.length;
      bytes += s.bytes();
      sampleBytes += s.sampleBytes();
    }
    return { series: this.series.size, samples, bytes, sampleBytes };
  }

  private delete(s: Series): void {
    this.series.delete(s.key);
    const named = this.byName.get(s.name);
    named?.delete(s);
    if (named?.size === 0) this.byName.delete(s.name);
  }
}
