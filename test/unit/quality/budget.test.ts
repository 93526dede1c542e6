import { describe, expect, it } from 'vitest';
import { Semaphore, TokenBucket, type Clock } from '../../../metrics-provider/quality/index.js';

/** A clock that only moves when someone sleeps: a sleep advances time by exactly its length. */
function manualClock(): Clock & { readonly sleeps: number[] } {
  let time = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    sleep: (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      time += ms;
      return Promise.resolve();
    },
  };
}

describe('token bucket', () => {
  it.each([
    { when: '60 per minute, burst 1', perMinute: 60, burst: 1, takes: 5, elapsed: 4000 },
    { when: '120 per minute, burst 2', perMinute: 120, burst: 2, takes: 6, elapsed: 2000 },
    { when: '6000 per minute, burst 10', perMinute: 6000, burst: 10, takes: 30, elapsed: 200 },
  ])(
    'when $when and $takes requests go then they take $elapsed ms',
    async ({ perMinute, burst, takes, elapsed }) => {
      const clock = manualClock();
      const bucket = new TokenBucket(perMinute, burst, clock);
      for (let i = 0; i < takes; i += 1) await bucket.take();
      expect(clock.now()).toBe(elapsed);
    },
  );

  it('when many wait at once then they are served in order at the rate', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket(120, 1, clock);
    const served: Array<[number, number]> = [];
    await Promise.all([0, 1, 2, 3].map((i) => bucket.take().then(() => served.push([i, clock.now()]))));
    expect(served).toEqual([
      [0, 0],
      [1, 500],
      [2, 1000],
      [3, 1500],
    ]);
  });

  it('when a waiter is aborted then it rejects and the next one is still served', async () => {
    const bucket = new TokenBucket(60, 1);
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
  });

  it.each([
    { perMinute: 0, burst: 1, message: 'requestsPerMinute must be a positive number, got 0' },
    { perMinute: 60, burst: 0, message: 'burst must be an integer >= 1, got 0' },
  ])(
    'when perMinute=$perMinute burst=$burst then the constructor says $message',
    ({ perMinute, burst, message }) => {
      expect(() => new TokenBucket(perMinute, burst)).toThrow(message);
    },
  );
});

describe('semaphore', () => {
  it('when the limit is reached then the next holder waits for a release', async () => {
    const slots = new Semaphore(2);
    const a = await slots.acquire();
    await slots.acquire();
    let third = false;
    const waiting = slots.acquire().then((release) => {
      third = true;
      return release;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    a();
    (await waiting)();
    expect(third).toBe(true);
  });

  it('when a waiter is aborted then it leaves the queue', async () => {
    const slots = new Semaphore(1);
    const release = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    release();
    const again = await slots.acquire();
    again();
  });
});
