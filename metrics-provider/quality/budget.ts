// The sampler's budget, so sampling never becomes a load of its own: a token bucket (requests per minute, with a
// small burst) and a cap on requests in flight. Both are FIFO and give up a waiter whose signal aborts.

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface BudgetOptions {
  /** Requests per minute, both tracks together. */
  readonly requestsPerMinute: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Requests that may go at once after a quiet spell. @default 2 (one pair) */
  readonly burst?: number;
}

/** A token bucket: `burst` tokens at most, refilled at `perMinute` / 60 000 per millisecond. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly perMs: number;

  constructor(
    perMinute: number,
    private readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(perMinute > 0) || !Number.isFinite(perMinute)) {
      throw new Error(`requestsPerMinute must be a positive number, got ${perMinute}`);
    }
    if (!Number.isInteger(burst) || burst < 1) throw new Error(`burst must be an integer >= 1, got ${burst}`);
    this.perMs = perMinute / 60_000;
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Resolves when a token is taken; waiters are served in order. Rejects with the signal's reason on abort. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
      if (this.tokens >= 1 - 1e-9) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil((1 - this.tokens) / this.perMs), signal);
    }
  }
}

/** At most `limit` holders at once; waiters are served in order. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<{ resolve: () => void; reject: (reason: unknown) => void }> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`concurrency must be an integer >= 1, got ${limit}`);
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active += 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          reject,
        };
        const onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(waiter);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.resolve();
      else this.active -= 1;
    };
  }
}

/** Both limits together: a slot in flight, then a token, then the request. */
export class RequestBudget {
  private readonly bucket: TokenBucket;
  private readonly slots: Semaphore;

  constructor(
    readonly options: BudgetOptions,
    clock: Clock = systemClock,
  ) {
    this.bucket = new TokenBucket(options.requestsPerMinute, options.burst ?? 2, clock);
    this.slots = new Semaphore(options.concurrency);
  }

  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.slots.acquire(signal);
    try {
      await this.bucket.take(signal);
      return await work();
    } finally {
      release();
    }
  }
}
