// Time for the runner. Analysis time can run faster than wall time (`--time-scale 60`: a 1m interval takes one
// second) or not at all (`instantClock`: sleeping just moves the clock, for tests with literal measurement lists).

export interface Clock {
  /** Analysis time, in ms since the epoch. */
  now(): number;
  /** Waits `ms` of analysis time; resolves early (without error) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Wall time in which every wait is `scale` times shorter: a 1m interval takes 1 s at scale 60, while the time a
 * request really takes counts as it is. `now()` is wall time plus the waiting skipped so far.
 */
export function scaledClock(scale = 1): Clock {
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new RangeError(`time scale must be a number above 0, got ${scale}`);
  let skipped = 0;
  return {
    now: () => Date.now() + skipped,
    async sleep(ms, signal) {
      const before = Date.now();
      await realSleep(ms / scale, signal);
      const real = Date.now() - before;
      // A full wait moves analysis time by exactly `ms`; an interrupted one by what was really waited, scaled.
      skipped += signal?.aborted ? real * (scale - 1) : Math.max(0, ms - real);
    },
  };
}

/** A clock that only moves when the runner sleeps: whole analyses run in milliseconds. */
export function instantClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) return;
      now += Math.max(0, ms);
      // Yield so that other tasks (a stop request, event consumers) get to run.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}
