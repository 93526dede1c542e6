import { describe, expect, it } from 'vitest';
import { CoalescingCache } from '../../../metrics-provider/sources/prometheus/coalescing-cache.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

describe('CoalescingCache', () => {
  it('when many ask the same key while it is in flight then one load serves them all', async () => {
    let loads = 0;
    const events = { hit: 0, miss: 0, coalesced: 0 };
    const cache = new CoalescingCache<number>(1000, 10, {
      onHit: () => events.hit++,
      onMiss: () => events.miss++,
      onCoalesced: () => events.coalesced++,
    });
    const d = deferred<number>();
    const answers = Array.from({ length: 5 }, () => cache.get('q', () => (loads++, d.promise)));
    d.resolve(42);
    expect(await Promise.all(answers)).toEqual([42, 42, 42, 42, 42]);
    expect(loads).toBe(1);
    expect(events).toEqual({ hit: 0, miss: 1, coalesced: 4 });
  });

  it('when the TTL has passed then the next ask loads again', async () => {
    let now = 0;
    let loads = 0;
    const cache = new CoalescingCache<number>(1000, 10, {}, () => now);
    await cache.get('q', async () => ++loads);
    now = 999;
    expect(await cache.get('q', async () => ++loads)).toBe(1);
    now = 1001;
    expect(await cache.get('q', async () => ++loads)).toBe(2);
  });

  it('when a load fails then the failure is not cached', async () => {
    const cache = new CoalescingCache<number>(60_000, 10);
    await expect(cache.get('q', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('q', async () => 7)).toBe(7);
  });

  it('when more keys than the bound are settled then the oldest are evicted', async () => {
    const cache = new CoalescingCache<number>(60_000, 3);
    for (let i = 0; i < 6; i++) await cache.get(`q${i}`, async () => i);
    await cache.get('last', async () => 0);
    expect(cache.size).toBeLessThanOrEqual(4);
  });
});
