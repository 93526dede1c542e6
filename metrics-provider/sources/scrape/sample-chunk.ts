// The compact form of a series' older samples, in the spirit of Prometheus' chunks but byte-aligned, which
// JavaScript encodes and decodes far faster than bit-packed Gorilla. Scrapes come at a steady interval and most vLLM
// series are counters that move by small integers (histogram buckets, request counts), so most samples take 2 bytes
// instead of 16:
// - timestamps: the first of a chunk as a varint, then the change of the interval (delta of delta) as a zigzag
//   varint, which is 0, one byte, when the scrape came on time;
// - values: token 0 when the value is the one before (any value: an idle gauge, a bucket nobody fell into); when
//   both are safe integers, their difference as a zigzag varint times two (an even token); otherwise token 1 and
//   the float64's 8 bytes (moving gauges, histogram sums, NaN, -0).
// A series keeps all its chunks in one one-byte string, each chunk behind a header (its length, and the time from
// its first sample to its newest) so that a range can skip it unread. V8 stores such a string flat, one byte a
// character behind a 16-byte header; a Uint8Array per chunk would cost more in bookkeeping (buffer object, backing
// store) than the samples.

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

/** A growable byte buffer the encoder writes into; one is reused for every chunk. */
class Scratch {
  bytes = new Uint8Array(1024);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

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
}

const body = new Scratch();
const out = new Scratch();

/**
 * The chunk list `list` without its first `skip` chunks, followed by a new chunk of the `count` samples `timeAt(i)`,
 * `valueAt(i)` (oldest first; timestamps ascending and storable).
 */
export function appendChunk(
  list: string,
  skip: number,
  count: number,
  timeAt: (i: number) => number,
  valueAt: (i: number) => number,
): string {
  body.length = 0;
  let previousT = 0;
  let previousDelta = 0;
  let previousV = 0;
  for (let i = 0; i < count; i++) {
    const t = timeAt(i);
    if (!isStorableTimestamp(t)) throw new RangeError(`sample timestamp ${t} cannot be stored`);
    if (i === 0) body.varint(t);
    else {
      const delta = t - previousT;
      body.varint(zigzag(delta - previousDelta));
      previousDelta = delta;
    }
    previousT = t;

    const v = valueAt(i);
    const difference = v - previousV;
    if (i > 0 && Object.is(v, previousV)) {
      body.varint(UNCHANGED);
    } else if (
      Number.isSafeInteger(v) &&
      Number.isSafeInteger(previousV) &&
      !Object.is(v, -0) &&
      !Object.is(previousV, -0) &&
      Math.abs(difference) < MAX_INTEGER_DELTA
    ) {
      body.varint(2 * zigzag(difference));
    } else {
      body.varint(RAW_FLOAT);
      body.float(v);
    }
    previousV = v;
  }

  // The chunks kept: from the header of chunk `skip` on (none when the list has no more than `skip`).
  let kept = list.length;
  readChunks(list, (index, _newest, _at, start) => {
    if (index < skip) return true;
    kept = start;
    return false;
  });
  const tail = list.slice(kept);
  out.length = 0;
  out.reserve(tail.length + body.length + 16);
  out.length += Buffer.from(out.bytes.buffer, out.bytes.byteOffset + out.length).write(tail, 'latin1');
  out.varint(body.length);
  out.varint(previousT - timeAt(0));
  out.bytes.set(body.bytes.subarray(0, body.length), out.length);
  out.length += body.length;
  // latin1 maps each byte to one character: the new flat string is the bytes.
  return Buffer.from(out.bytes.buffer, 0, out.length).toString('latin1');
}

/**
 * Visits the chunks of a list, oldest first, with each chunk's newest timestamp, where its samples start and where
 * its header starts, until `visit` returns false.
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

/** Calls `sample` for each of the `count` samples of the chunk whose samples start at `at`, oldest first. */
export function decodeChunk(
  list: string,
  at: number,
  count: number,
  sample: (t: number, v: number) => void,
): void {
  const cursor = { at };
  let t = 0;
  let delta = 0;
  let v = 0;
  for (let i = 0; i < count; i++) {
    if (i === 0) t = readVarint(list, cursor);
    else {
      delta += unzigzag(readVarint(list, cursor));
      t += delta;
    }
    const token = readVarint(list, cursor);
    if (token === RAW_FLOAT) {
      for (let b = 0; b < 8; b++) floatBytes[b] = list.charCodeAt(cursor.at++);
      v = floatView[0]!;
    } else if (token !== UNCHANGED) {
      v += unzigzag(token / 2);
    }
    sample(t, v);
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
