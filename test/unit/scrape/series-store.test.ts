import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_SAMPLE,
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
    expect(s.capacity).toBe(5);
    expect(s.range(0, 1e9, true)).toEqual({ t: [8000, 9000, 10000, 11000, 12000], v: [8, 9, 10, 11, 12] });
  });

  it('when a series is short-lived then its buffer stays small (grown on demand, not preallocated)', () => {
    const s = store(10, 1000).upsert('k', 'm', {});
    s.append(1, 1);
    s.append(2, 2);
    expect(s.capacity).toBe(8);
    for (let i = 3; i <= 20; i++) s.append(i, i);
    expect(s.capacity).toBe(32);
  });

  it('when a sample is not newer than the last one then it is dropped, as Prometheus drops out-of-order samples', () => {
    const s = store(10, 10).upsert('k', 'm', {});
    expect(s.append(2000, 1)).toBe(true);
    expect(s.append(2000, 5)).toBe(false);
    expect(s.append(1000, 5)).toBe(false);
    expect(s.range(0, 1e9, true).v).toEqual([1]);
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
    expect(stats.bytes).toBeGreaterThanOrEqual(16 * BYTES_PER_SAMPLE);
    expect(stats.bytes).toBeLessThan(16 * BYTES_PER_SAMPLE + 1000);
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
