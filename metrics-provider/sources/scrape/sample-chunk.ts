// The compact form of a series' samples, in the spirit of Prometheus' chunks but byte-aligned, which JavaScript
// encodes and decodes far faster than bit-packed Gorilla. Scrapes come at a steady interval and most vLLM series are
// counters that move by small integers (histogram buckets, request counts), so most samples take 2 bytes instead of
// 16:
// - timestamps: the first of a chunk as a varint, then the change of the interval (delta of delta) as a zigzag
//   varint, which is 0, one byte, when the scrape came on time;
// - values: token 0 when the value is the one before (any value: an idle gauge, a bucket nobody fell into); when
//   both are safe integers, their difference as a zigzag varint times two (an even token); otherwise token 1 and
//   the float64's 8 bytes (moving gauges, histogram sums, NaN, -0).
// As in Prometheus' head, the newest chunk is open: each sample is encoded as it arrives, and the chunk is sealed
// (given a header) when full. A series keeps its sealed chunks in one one-byte string, each chunk behind a header
// (its length, and the time from its first sample to its newest) so that a range can skip it unread, and its open
// chunk in another. V8 stores such a string flat, one byte a character behind a 16-byte header; a Uint8Array per
// chunk would cost more in bookkeeping (buffer object, backing store) than the samples.

/** Timestamps must be whole milliseconds from 0 to this, so deltas and their changes stay exact integers. */
const MAX_TIMESTAMP_MS = 2 ** 50;
/** Integer differences stored as varints stay below this, so zigzag times two stays a safe integer. */
const MAX_INTEGER_DELTA = 2 ** 50;
/** The value tokens that are not an integer difference (those are even and above 0). */
const UNCHANGED = 0;
const RAW_FLOAT = 1;

const floatView = new Float64Array(1);
const floatBytes = new Uint8Array(floatView.buffer);

/** Whether a chunk can hold the timestamp: whole milliseconds from 0 to 2^50 (the year 37648). */
export function isStorableTimestamp(t: number): boolean {
  return Number.isInteger(t) && t >= 0 && t <= MAX_TIMESTAMP_MS;
}

/** A growable byte buffer the encoder writes into and reads back as a one-byte string; one is reused throughout. */
class Scratch {
  private bytes = Buffer.allocUnsafe(1024);
  length = 0;

  varint(n: number): void {
    this.reserve(8);
    while (n >= 128) {
      this.bytes[this.length++] = n % 128 | 128;
      n = Math.floor(n / 128);
    }
    this.bytes[this.length++] = n;
  }

  float(v: number): void {
    this.reserve(8);
    floatView[0] = v;
    this.bytes.set(floatBytes, this.length);
    this.length += 8;
  }

  /** Appends the bytes a one-byte string holds. */
  text(s: string): void {
    this.reserve(s.length);
    this.length += this.bytes.write(s, this.length, 'latin1');
  }

  /** What was written, as a new flat string (latin1 maps each byte to one character). */
  toString(): string {
    return this.bytes.toString('latin1', 0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

const scratch = new Scratch();

/** Where the encoding of a chunk stands after its newest sample: what the next sample is written against. */
interface ChunkEnd {
  readonly t: number;
  readonly delta: number;
  readonly v: number;
}

/**
 * The open chunk `open`, which holds `count` samples, with the sample (t, v) appended; `t` must be storable and
 * newer than the chunk's newest.
 */
export function appendSample(open: string, count: number, t: number, v: number): string {
  if (!isStorableTimestamp(t)) throw new RangeError(`sample timestamp ${t} cannot be stored`);
  const end = count > 0 ? chunkEnd(open, count) : undefined;
  scratch.length = 0;
  scratch.text(open);
  writeSample(t, v, end);
  return scratch.toString();
}

/** The open chunk `open` (`count` samples) without its oldest `drop`. */
export function withoutOldest(open: string, count: number, drop: number): string {
  scratch.length = 0;
  let end: ChunkEnd | undefined;
  let index = 0;
  decodeChunk(open, 0, count, (t, v) => {
    if (index++ < drop) return;
    writeSample(t, v, end);
    end = { t, delta: end === undefined ? 0 : t - end.t, v };
  });
  return scratch.toString();
}

/** The sealed chunks `list` without their first `skip`, followed by the open chunk `open` (`count` samples) sealed. */
export function sealChunk(list: string, skip: number, open: string, count: number): string {
  const first = readVarint(open, { at: 0 });
  const newest = chunkEnd(open, count).t;
  // The chunks kept: from the header of chunk `skip` on (none when the list has no more than `skip`).
  let kept = list.length;
  readChunks(list, (index, _newest, _at, start) => {
    if (index < skip) return true;
    kept = start;
    return false;
  });
  scratch.length = 0;
  scratch.text(list.slice(kept));
  scratch.varint(open.length);
  scratch.varint(newest - first);
  scratch.text(open);
  return scratch.toString();
}

function writeSample(t: number, v: number, end: ChunkEnd | undefined): void {
  if (end === undefined) scratch.varint(t);
  else scratch.varint(zigzag(t - end.t - end.delta));
  const previousV = end?.v ?? 0;
  const difference = v - previousV;
  if (end !== undefined && Object.is(v, previousV)) {
    scratch.varint(UNCHANGED);
  } else if (
    Number.isSafeInteger(v) &&
    Number.isSafeInteger(previousV) &&
    !Object.is(v, -0) &&
    !Object.is(previousV, -0) &&
    Math.abs(difference) < MAX_INTEGER_DELTA
  ) {
    scratch.varint(2 * zigzag(difference));
  } else {
    scratch.varint(RAW_FLOAT);
    scratch.float(v);
  }
}

function chunkEnd(chunk: string, count: number): ChunkEnd {
  let end: ChunkEnd = { t: 0, delta: 0, v: 0 };
  decodeChunk(chunk, 0, count, (t, v, delta) => (end = { t, delta, v }));
  return end;
}

/**
 * Visits the sealed chunks of a list, oldest first, with each chunk's newest timestamp, where its samples start and
 * where its header starts, until `visit` returns false.
 */
export function readChunks(
  list: string,
  visit: (index: number, newestMs: number, at: number, start: number) => boolean,
): void {
  const cursor = { at: 0 };
  for (let index = 0; cursor.at < list.length; index++) {
    const start = cursor.at;
    const length = readVarint(list, cursor);
    const span = readVarint(list, cursor);
    const at = cursor.at;
    const newest = readVarint(list, cursor) + span; // the first timestamp opens the samples
    if (!visit(index, newest, at, start)) return;
    cursor.at = at + length;
  }
}

/**
 * Calls `sample` for each of the `count` samples of the chunk whose samples start at `at` (0 for an open chunk),
 * oldest first, with the interval that led to it.
 */
export function decodeChunk(
  chunks: string,
  at: number,
  count: number,
  sample: (t: number, v: number, delta: number) => void,
): void {
  const cursor = { at };
  let t = 0;
  let delta = 0;
  let v = 0;
  for (let i = 0; i < count; i++) {
    if (i === 0) t = readVarint(chunks, cursor);
    else {
      delta += unzigzag(readVarint(chunks, cursor));
      t += delta;
    }
    const token = readVarint(chunks, cursor);
    if (token === RAW_FLOAT) {
      for (let b = 0; b < 8; b++) floatBytes[b] = chunks.charCodeAt(cursor.at++);
      v = floatView[0]!;
    } else if (token !== UNCHANGED) {
      v += unzigzag(token / 2);
    }
    sample(t, v, delta);
  }
}

function readVarint(s: string, cursor: { at: number }): number {
  let n = 0;
  let scale = 1;
  for (;;) {
    const byte = s.charCodeAt(cursor.at++);
    n += (byte & 127) * scale;
    if (byte < 128) return n;
    scale *= 128;
  }
}

function zigzag(n: number): number {
  return n >= 0 ? 2 * n : -2 * n - 1;
}

function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}
