// Virtual time. The profile speaks in the seconds a real server would take; with timeScale = 100 every real wait is
// a hundredth of that, while the metrics record the virtual figures, so Prometheus sees the configured latencies
// whatever the speed-up. Waits take an AbortSignal so a disconnected client or a closing server stops them at once.
import { setTimeout as sleepReal } from 'node:timers/promises';

export class VirtualClock {
  constructor(readonly timeScale: number = 1) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new Error(`timeScale must be a finite number > 0, got ${timeScale}`);
    }
  }

  /** Virtual seconds since an arbitrary origin. */
  now(): number {
    return (performance.now() / 1000) * this.timeScale;
  }

  /** Converts a real duration in seconds to virtual seconds. */
  toVirtual(realSeconds: number): number {
    return realSeconds * this.timeScale;
  }

  /** Waits `seconds` of virtual time. Rejects with the signal's reason when it aborts. */
  async sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    await this.sleepUntil(this.now() + seconds, signal);
  }

  /**
   * Waits until virtual time `target`. Pacing against an absolute target rather than sleeping each gap keeps a
   * stream of short gaps on schedule: timer overshoot on one token is taken back from the next.
   */
  async sleepUntil(target: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const realMs = ((target - this.now()) / this.timeScale) * 1000;
    if (realMs < 1) return;
    await sleepReal(realMs, undefined, signal ? { signal } : {});
  }
}
