import { describe, expect, it } from 'vitest';
import {
  CHUNK_SAMPLES,
  SeriesLimitError,
  SeriesStore,
  seriesKey,
} from '../../../metrics-provider/sources/scrape/series-store.js';

const store = (maxSeries: number, maxSamplesPerSeries: number, retentionMs = 3_600_000) =>
  new SeriesStore({ maxSeries, maxSamplesPerSeries, retentionMs });

describe('Series', () => {
  it('when more samples arrive than the bound then only the newest maxSamplesPerSeries are kept', () => {
    const s = store(10, 5).upsert('k', 'm', {});
    for (let i = 1; i <= 12; i++) s.append(i * 1000, i);
    expect(s.length).toBe(5);
    expect(s.range(0, 1e9, true)).toEqual({ t: [8000, 9000, 10000, 11000, 12000], v: [8, 9, 10, 11, 12] });
  });

  it('when a series is short-lived then its buffer stays small (grown on demand, not preallocated)', () => {
    const st = store(10, 1000);
    const s = st.upsert('k', 'm', {});
    s.append(1, 1);
    s.append(2, 2);
    expect(st.stats().sampleBytes).toBe(8 * 8 + 32); // room for 4 raw samples, and two headers
    for (let i = 3; i <= 20; i++) s.append(i, i);
    // 16 samples compressed, 4 raw in a head grown to its most (16 samples)
    expect(st.stats().sampleBytes).toBeLessThan(8 * 32 + 32 + 16 * 4);
  });

  it('when a sample is not newer than the last one then it is dropped, as Prometheus drops out-of-order samples', () => {
    const s = store(10, 10).upsert('k', 'm', {});
    expect(s.append(2000, 1)).toBe(true);
    expect(s.append(2000, 5)).toBe(false);
    expect(s.append(1000, 5)).toBe(false);
    expect(s.range(0, 1e9, true).v).toEqual([1]);
  });

  it('when a page carries a timestamp before 1970 or past the year 37648 then the sample is dropped', () => {
    const s = store(10, 10).upsert('k', 'm', {});
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
      const s = store(10, 10).upsert('k', 'm', {});
      for (const t of [0, 1000, 2000, 3000, 4000]) s.append(t, t / 1000);
      expect(s.range(1000, 3000, closed).t).toEqual(ts);
    },
  );

  it('when a new sample arrives after a stale marker then the series is live again', () => {
    const st = store(10, 10);
    const s = st.upsert('k', 'm', {});
    s.append(1000, 1);
    st.markStale(['k'], 2000);
    expect(s.staleSinceMs).toBe(2000);
    s.append(3000, 2);
    expect(s.staleSinceMs).toBeUndefined();
  });
});

describe('SeriesStore bounds', () => {
  it('when a scrape needs more series than the limit then it is refused and nothing is evicted that is live', () => {
    const st = store(3, 10);
    for (const k of ['a', 'b', 'c']) st.upsert(k, 'm', {}).append(1000, 1);
    expect(() => st.reserve(['a', 'd'], 2000)).toThrow(SeriesLimitError);
    expect(() => st.reserve(['a', 'd'], 2000)).toThrow('the scrape needs 4 series, the limit is 3');
    expect(st.size).toBe(3);
  });

  it('when stale series exist then they make room, oldest first', () => {
    const st = store(3, 10);
    st.upsert('old', 'm', {}).append(1000, 1);
    st.upsert('older', 'm', {}).append(500, 1);
    st.upsert('live', 'm', {}).append(1000, 1);
    st.markStale(['old', 'older'], 1500);
    st.reserve(['live', 'new'], 2000);
    expect(st.get('older')).toBeUndefined();
    expect(st.get('old')).toBeDefined();
  });

  it('when samples pass the retention then gc drops them, and series left empty go', () => {
    const st = store(10, 100, 10_000);
    const s = st.upsert('a', 'm', {});
    for (const t of [1000, 5000, 9000, 13000]) s.append(t, 1);
    st.upsert('b', 'm', {}).append(1000, 1);
    st.gc(15_000);
    expect(s.range(0, 1e9, true).t).toEqual([5000, 9000, 13000]);
    expect(st.get('b')).toBeUndefined();
    expect([...st.named('m')]).toHaveLength(1);
  });

  it('when stats are asked then samples and bytes reflect the buffers held', () => {
    const st = store(10, 100);
    const s = st.upsert(seriesKey('m', { a: '1' }), 'm', { a: '1' });
    for (let i = 1; i <= 9; i++) s.append(i, i);
    const stats = st.stats();
    expect(stats.series).toBe(1);
    expect(stats.samples).toBe(9);
    expect(stats.sampleBytes).toBe(8 * 32 + 32); // the head grown to 16 raw samples
    expect(stats.bytes).toBeGreaterThan(stats.sampleBytes);
    expect(stats.bytes).toBeLessThan(stats.sampleBytes + 1000);
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
    const s = st.upsert('k', 'm', {});
    const samples = counterSamples(20 * CHUNK_SAMPLES);
    for (const { t, v } of samples) s.append(t, v);
    const compressed = st.stats().sampleBytes - 8 * 2 * CHUNK_SAMPLES; // less the raw head
    expect(compressed / (19 * CHUNK_SAMPLES)).toBeLessThan(3.5);
    expect(s.range(0, Number.MAX_SAFE_INTEGER, true)).toEqual({
      t: samples.map((x) => x.t),
      v: samples.map((x) => x.v),
    });
  });

  it('when samples fall past the bound across chunk boundaries then exactly the newest maxSamplesPerSeries remain', () => {
    const s = store(10, 70).upsert('k', 'm', {});
    const samples = counterSamples(200);
    samples.forEach(({ t, v }, i) => {
      s.append(t, v);
      const expected = samples.slice(Math.max(0, i + 1 - 70), i + 1);
      expect(s.length).toBe(expected.length);
      expect(s.range(0, Number.MAX_SAFE_INTEGER, true).t).toEqual(expected.map((x) => x.t));
    });
  });

  it('when samples fall past retention then dropBefore removes exactly the older ones, in chunks or in part', () => {
    const s = store(10, 1000).upsert('k', 'm', {});
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

describe('seriesKey', () => {
  it('when labels come in another order then the key is the same', () => {
    expect(seriesKey('m', { a: '1', b: '2' })).toBe(seriesKey('m', { b: '2', a: '1' }));
  });

  it('when values contain separators then keys stay distinct', () => {
    expect(seriesKey('m', { a: '1,b=2' })).not.toBe(seriesKey('m', { a: '1', b: '2' }));
  });
});
