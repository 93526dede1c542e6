import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendSample,
  decodeChunk,
  readChunks,
  sealChunk,
  withoutOldest,
} from '../../../metrics-provider/sources/scrape/sample-chunk.js';

type Sample = { t: number; v: number };

/** An open chunk of the samples, appended one at a time. */
const openChunk = (samples: readonly Sample[]) =>
  samples.reduce((open, { t, v }, i) => appendSample(open, i, t, v), '');

/** The list without its first `skip` chunks, and the samples sealed as its newest chunk. */
const encode = (list: string, skip: number, samples: readonly Sample[]) =>
  sealChunk(list, skip, openChunk(samples), samples.length);

const decodeOpen = (open: string, count: number) => {
  const samples: Sample[] = [];
  decodeChunk(open, 0, count, (t, v) => samples.push({ t, v }));
  return samples;
};

/** Every chunk of a list, decoded, with its header's newest timestamp. */
function decodeAll(list: string, perChunk: number): { newest: number; samples: Sample[] }[] {
  const chunks: { newest: number; samples: Sample[] }[] = [];
  readChunks(list, (_index, newest, at) => {
    const samples: Sample[] = [];
    decodeChunk(list, at, perChunk, (t, v) => samples.push({ t, v }));
    chunks.push({ newest, samples });
    return true;
  });
  return chunks;
}

function roundTrip(samples: readonly Sample[]): Sample[] {
  return decodeAll(encode('', 0, samples), samples.length)[0]!.samples;
}

/** Ascending whole-millisecond timestamps from increments that may be regular, jittery or wild. */
const timestamps = (n: number) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: 2 ** 45 }),
      fc.array(fc.oneof(fc.constant(15_000), fc.integer({ min: 1, max: 2 ** 40 })), {
        minLength: n,
        maxLength: n,
      }),
    )
    .map(([start, steps]) => steps.map((_, i) => start + steps.slice(0, i).reduce((a, b) => a + b, 0)));

const values = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
  fc.constantFrom(
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    2 ** 53,
    2 ** 60,
    -(2 ** 53),
  ),
);

describe('sample chunks', () => {
  it('when any samples are encoded then decoding gives them back exactly (NaN, -0, Inf, huge integers too)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((n) => fc.tuple(timestamps(n), fc.array(values, { minLength: n, maxLength: n }))),
        ([ts, vs]) => {
          const samples = ts.map((t, i) => ({ t, v: vs[i]! }));
          const back = roundTrip(samples);
          expect(back.map((s) => s.t)).toEqual(ts);
          back.forEach((s, i) => expect(Object.is(s.v, vs[i])).toBe(true));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('when a counter resets then the negative difference is kept', () => {
    const samples = [5000, 5003, 2, 4].map((v, i) => ({ t: 1000 + i * 15_000, v }));
    expect(roundTrip(samples)).toEqual(samples);
  });

  it('when a counter moves by a few on time then each sample after the first takes 2 bytes', () => {
    const samples = Array.from({ length: 32 }, (_, i) => ({
      t: 1_795_000_000_000 + i * 15_000,
      v: 40_000 + i * 5,
    }));
    const chunk = encode('', 0, samples);
    // header: length and span (1 + 3 bytes); first sample: timestamp (6) and value (3); second: a
    // 3-byte first interval; then 2 bytes each.
    expect(chunk.length).toBe(1 + 3 + (6 + 3) + (3 + 1) + 30 * 2);
  });

  it('when chunks are appended and the oldest skipped then the list holds exactly the chunks kept, in order', () => {
    const chunkOf = (k: number) =>
      Array.from({ length: 4 }, (_, i) => ({ t: k * 100 + i, v: k * 10 + i * 0.5 }));
    let list = '';
    for (let k = 0; k < 5; k++) list = encode(list, 0, chunkOf(k));
    expect(decodeAll(list, 4).map((c) => c.newest)).toEqual([3, 103, 203, 303, 403]);
    list = encode(list, 3, chunkOf(5));
    expect(decodeAll(list, 4)).toEqual([3, 4, 5].map((k) => ({ newest: k * 100 + 3, samples: chunkOf(k) })));
    expect(decodeAll(encode(list, 10, chunkOf(6)), 4)).toEqual([{ newest: 603, samples: chunkOf(6) }]);
  });

  it('when samples are appended to an open chunk then it reads back as they came, before and after sealing', () => {
    const samples = [0.5, 0.5, 7, -3, Number.NaN].map((v, i) => ({ t: 1_000 + i * 15_000 + (i % 2), v }));
    for (let n = 1; n <= samples.length; n++) {
      const open = openChunk(samples.slice(0, n));
      const back = decodeOpen(open, n);
      expect(back.map((s) => s.t)).toEqual(samples.slice(0, n).map((s) => s.t));
      back.forEach((s, i) => expect(Object.is(s.v, samples[i]!.v)).toBe(true));
    }
    expect(decodeAll(encode('', 0, samples), samples.length)[0]!.newest).toBe(samples.at(-1)!.t);
  });

  it('when the oldest samples of an open chunk are dropped then the rest is encoded anew and appends go on', () => {
    const samples = Array.from({ length: 6 }, (_, i) => ({ t: 100 + i * 10 + (i === 3 ? 4 : 0), v: i * i }));
    for (let drop = 0; drop <= samples.length; drop++) {
      const rest = withoutOldest(openChunk(samples), samples.length, drop);
      expect(rest).toBe(openChunk(samples.slice(drop)));
      const count = samples.length - drop;
      expect(decodeOpen(appendSample(rest, count, 500, 1.5), count + 1)).toEqual([
        ...samples.slice(drop),
        { t: 500, v: 1.5 },
      ]);
    }
  });

  it('when a timestamp is not a whole non-negative number of milliseconds then encoding refuses it', () => {
    expect(() => roundTrip([{ t: 1.5, v: 1 }])).toThrow('cannot be stored');
    expect(() => roundTrip([{ t: -1, v: 1 }])).toThrow('cannot be stored');
  });
});
