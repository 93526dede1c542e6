import { describe, expect, it } from 'vitest';
import {
  CHUNK_SAMPLES,
  labelsHash,
  sameLabels,
  SERIES_OVERHEAD_BYTES,
  SeriesLimitError,
  SeriesStore,
} from '../../../metrics-provider/sources/scrape/series-store.js';

const store = (maxSeries: number, maxSamplesPerSeries: number, retentionMs = 3_600_000) =>
  new SeriesStore({ maxSeries, maxSamplesPerSeries, retentionMs });

describe('Series', () => {
  it('when more samples arrive than the bound then only the newest maxSamplesPerSeries are kept', () => {
    const s = store(10, 5).add('m', {});
    for (let i = 1; i <= 12; i++) s.append(i * 1000, i);
    expect(s.length).toBe(5);
    expect(s.range(0, 1e9, true)).toEqual({ t: [8000, 9000, 10000, 11000, 12000], v: [8, 9, 10, 11, 12] });
  });

  it('when a series is short-lived then it takes a few bytes a sample from the first (nothing preallocated)', () => {
    const st = store(10, 1000);
    const s = st.add('m', {});
    s.append(1, 1);
    s.append(2, 2);
    // the first timestamp and value, then the first interval and a difference of 1: a byte each
    expect(st.stats().sampleBytes).toBe(16 + 4);
    for (let i = 3; i <= 20; i++) s.append(i, i);
    // 16 samples sealed behind a 2-byte header, 4 open: 2 bytes a sample after the first
    expect(st.stats().sampleBytes).toBe(16 + 2 + 2 + 2 * 15 + 16 + 2 + 2 * 3);
  });

  it('when a sample is not newer than the last one then it is dropped, as Prometheus drops out-of-order samples', () => {
    const s = store(10, 10).add('m', {});
    expect(s.append(2000, 1)).toBe(true);
    expect(s.append(2000, 5)).toBe(false);
    expect(s.append(1000, 5)).toBe(false);
    expect(s.range(0, 1e9, true).v).toEqual([1]);
  });

  it('when a page carries a timestamp before 1970 or past the year 37648 then the sample is dropped', () => {
    const s = store(10, 10).add('m', {});
    expect(s.append(-5, 1)).toBe(false);
    expect(s.append(2 ** 51, 1)).toBe(false);
    expect(s.length).toBe(0);
  });

  it.each([
    ['closed start (Prometheus 2)', true, [1000, 2000, 3000]],
    ['open start (Prometheus 3)', false, [2000, 3000]],
  ])(
    'when the range starts exactly on a sample with a %s then it is in or out accordingly',
    (_w, closed, ts) => {
      const s = store(10, 10).add('m', {});
      for (const t of [0, 1000, 2000, 3000, 4000]) s.append(t, t / 1000);
      expect(s.range(1000, 3000, closed).t).toEqual(ts);
    },
  );

  it('when a new sample arrives after a stale marker then the series is live again', () => {
    const st = store(10, 10);
    const s = st.add('m', {});
    s.append(1000, 1);
    st.markStale([s], 2000);
    expect(s.staleSinceMs).toBe(2000);
    s.append(3000, 2);
    expect(s.staleSinceMs).toBeUndefined();
  });
});

describe('SeriesStore bounds', () => {
  const series = (st: SeriesStore, k: string) => st.find('m', { k });

  it('when a scrape needs more series than the limit then it is refused and nothing is evicted that is live', () => {
    const st = store(3, 10);
    for (const k of ['a', 'b', 'c']) st.add('m', { k }).append(1000, 1);
    const inUse = new Set([series(st, 'a')!]);
    expect(() => st.reserve(1, 2000, inUse)).toThrow(SeriesLimitError);
    expect(() => st.reserve(1, 2000, inUse)).toThrow('the scrape needs 4 series, the limit is 3');
    expect(st.size).toBe(3);
  });

  it('when stale series exist then they make room, oldest first', () => {
    const st = store(3, 10);
    const old = st.add('m', { k: 'old' });
    old.append(1000, 1);
    const older = st.add('m', { k: 'older' });
    older.append(500, 1);
    const live = st.add('m', { k: 'live' });
    live.append(1000, 1);
    st.markStale([old, older], 1500);
    st.reserve(1, 2000, new Set([live]));
    expect(series(st, 'older')).toBeUndefined();
    expect(st.holds(older)).toBe(false);
    expect(series(st, 'old')).toBe(old);
  });

  it('when a stale series is on the page again then it is not evicted to make room for the page', () => {
    const st = store(2, 10);
    const back = st.add('m', { k: 'back' });
    back.append(500, 1);
    const gone = st.add('m', { k: 'gone' });
    gone.append(1000, 1);
    st.markStale([back, gone], 1500);
    st.reserve(1, 2000, new Set([back]));
    expect(st.holds(back)).toBe(true);
    expect(st.holds(gone)).toBe(false);
  });

  it('when samples pass the retention then gc drops them, and series left empty go', () => {
    const st = store(10, 100, 10_000);
    const s = st.add('m', { k: 'a' });
    for (const t of [1000, 5000, 9000, 13000]) s.append(t, 1);
    st.add('m', { k: 'b' }).append(1000, 1);
    st.gc(15_000);
    expect(s.range(0, 1e9, true).t).toEqual([5000, 9000, 13000]);
    expect(series(st, 'b')).toBeUndefined();
    expect([...st.named('m')]).toEqual([s]);
  });

  it('when stats are asked then samples and bytes reflect the chunks held', () => {
    const st = store(10, 100);
    const s = st.add('m', { a: '1' });
    for (let i = 1; i <= 9; i++) s.append(i, i);
    const stats = st.stats();
    expect(stats.series).toBe(1);
    expect(stats.samples).toBe(9);
    expect(stats.sampleBytes).toBe(16 + 2 + 8 * 2); // the first sample, then 2 bytes each
    expect(stats.bytes).toBe(stats.sampleBytes + SERIES_OVERHEAD_BYTES);
  });
});

describe('Series compression', () => {
  /** A vLLM-like counter scraped every 15 s with a little jitter: it grows by a few requests a scrape. */
  const counterSamples = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      t: 1_795_000_000_000 + i * 15_000 + (i % 3) * 7,
      v: 1000 + i * 3,
    }));

  it('when a counter moves by small integers on time then a sample takes about 2 bytes once compressed', () => {
    const st = store(10, 1000);
    const s = st.add('m', {});
    const samples = counterSamples(20 * CHUNK_SAMPLES);
    for (const { t, v } of samples) s.append(t, v);
    expect(st.stats().sampleBytes / samples.length).toBeLessThan(3);
    expect(s.range(0, Number.MAX_SAFE_INTEGER, true)).toEqual({
      t: samples.map((x) => x.t),
      v: samples.map((x) => x.v),
    });
  });

  it('when samples fall past the bound across chunk boundaries then exactly the newest maxSamplesPerSeries remain', () => {
    const s = store(10, 70).add('m', {});
    const samples = counterSamples(200);
    samples.forEach(({ t, v }, i) => {
      s.append(t, v);
      const expected = samples.slice(Math.max(0, i + 1 - 70), i + 1);
      expect(s.length).toBe(expected.length);
      expect(s.range(0, Number.MAX_SAFE_INTEGER, true).t).toEqual(expected.map((x) => x.t));
    });
  });

  it('when samples fall past retention then dropBefore removes exactly the older ones, in chunks or in part', () => {
    const s = store(10, 1000).add('m', {});
    const samples = counterSamples(150);
    for (const { t, v } of samples) s.append(t, v);
    for (const cut of [3, 40, 64, 65, 130, 149, 150]) {
      s.dropBefore(samples[cut]?.t ?? Number.MAX_SAFE_INTEGER);
      expect(s.range(0, Number.MAX_SAFE_INTEGER, true).t).toEqual(samples.slice(cut).map((x) => x.t));
      expect(s.length).toBe(150 - cut);
    }
    s.append(samples[149]!.t + 15_000, 7);
    expect(s.range(0, Number.MAX_SAFE_INTEGER, true).v).toEqual([7]);
  });
});

describe('label sets', () => {
  it('when labels come in another order then the hash is the same and the sets are the same', () => {
    expect(labelsHash('m', { a: '1', b: '2' })).toBe(labelsHash('m', { b: '2', a: '1' }));
    expect(sameLabels({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
  });

  it('when names and values split differently then the hashes and sets differ', () => {
    expect(labelsHash('m', { a: 'bc' })).not.toBe(labelsHash('m', { ab: 'c' }));
    expect(labelsHash('m', { a: '' })).not.toBe(labelsHash('ma', {}));
    expect(sameLabels({ a: '1' }, { a: '1', b: '' })).toBe(false);
    expect(sameLabels({ a: '1' }, { b: '1' })).toBe(false);
  });

  it('when two label sets share a hash then the store keeps both apart, and either can go', () => {
    // A 32-bit hash: two of some ten thousand sets share one with even odds (the birthday bound).
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const h = labelsHash('m', { k: String(i) });
      const other = seen.get(h);
      if (other !== undefined) pair = [other, String(i)];
      seen.set(h, String(i));
    }
    const st = store(10, 10, 10_000);
    const [first, second] = pair.map((k) => st.add('m', { k }));
    first!.append(1000, 1);
    second!.append(5000, 2);
    expect(first!.hash).toBe(second!.hash);
    expect(st.find('m', { k: pair[0] })).toBe(first);
    expect(st.find('m', { k: pair[1] })).toBe(second);
    st.gc(12_000); // the first is past retention
    expect(st.holds(first!)).toBe(false);
    expect(st.find('m', { k: pair[0] })).toBeUndefined();
    expect(st.find('m', { k: pair[1] })).toBe(second);
    expect(st.size).toBe(1);
    expect(st.stats().samples).toBe(1);
  });
});
