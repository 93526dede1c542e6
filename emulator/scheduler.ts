// The batch scheduler in miniature: at most maxRunning requests run at once, the others wait first-in first-out.
// That is what makes load visible the way vLLM shows it: num_requests_waiting rises and queue time grows.

export interface SchedulerState {
  readonly running: number;
  readonly waiting: number;
}

export interface Admission {
  /** Requests that were already running when this one was admitted (they slow it down through loadFactor). */
  readonly othersRunning: number;
  /** Whether the request had to wait for a free slot. */
  readonly queued: boolean;
}

/** One request's passage through the scheduler: waiting from arrival, running once admitted, gone when finished. */
export interface Ticket {
  /** Resolves when a slot is free; rejects if the signal aborts first (the ticket then leaves the queue). */
  admit(signal?: AbortSignal): Promise<Admission>;
  /** Leaves the queue or frees the slot; safe to call more than once. */
  finish(): void;
}

export class Scheduler {
  private running = 0;
  private waiting = 0;
  private readonly slotQueue: Array<() => void> = [];

  /** `maxRunning` is read at every decision, so a profile change applies at once. */
  constructor(
    private readonly maxRunning: () => number,
    private readonly onChange: (state: SchedulerState) => void = () => undefined,
  ) {}

  state(): SchedulerState {
    return { running: this.running, waiting: this.waiting };
  }

  /** Registers an arriving request as waiting. */
  arrive(): Ticket {
    let phase: 'waiting' | 'running' | 'done' = 'waiting';
    this.waiting += 1;
    this.changed();
    const start = (): Admission => {
      const othersRunning = this.running;
      phase = 'running';
      this.waiting -= 1;
      this.running += 1;
      this.changed();
      return { othersRunning, queued: false };
    };
    return {
      admit: (signal) => {
        if (phase !== 'waiting') return Promise.reject(new Error('ticket already admitted or finished'));
        if (this.slotQueue.length === 0 && this.running < this.maxRunning()) return Promise.resolve(start());
        return new Promise<Admission>((resolve, reject) => {
          const grant = (): void => {
            signal?.removeEventListener('abort', onAbort);
            resolve({ ...start(), queued: true });
          };
          const onAbort = (): void => {
            const position = this.slotQueue.indexOf(grant);
            if (position >= 0) this.slotQueue.splice(position, 1);
            reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted while waiting'));
          };
          if (signal?.aborted) return onAbort();
          signal?.addEventListener('abort', onAbort, { once: true });
          this.slotQueue.push(grant);
        });
      },
      finish: () => {
        if (phase === 'done') return;
        if (phase === 'waiting') this.waiting -= 1;
        else this.running -= 1;
        phase = 'done';
        this.changed();
        this.dispatch();
      },
    };
  }

  /** Admits queued requests while slots are free; call after maxRunning grows. */
  dispatch(): void {
    while (this.slotQueue.length > 0 && this.running < this.maxRunning()) {
      this.slotQueue.shift()?.();
    }
  }

  private changed(): void {
    this.onChange(this.state());
  }
}
