// What a run reports while it runs, for the CLI's live lines, `--output json` and the demo's live view.
import type { AnalysisPhase, Measurement, MetricCounters, MetricResult } from './types.js';

export interface MetricInfo {
  readonly name: string;
  readonly dryRun: boolean;
  /** Measurements the metric takes (undefined: until the run is stopped). */
  readonly count?: number;
  readonly interval?: string;
  readonly initialDelay?: string;
}

export interface AnalysisResult {
  /** The AnalysisRun phase Argo would reach: Successful, Failed, Error or Inconclusive. */
  readonly phase: AnalysisPhase;
  /** Argo's run message, e.g. `Metric "latency" assessed Failed due to failed (2) > failureLimit (1)`. */
  readonly message?: string;
  readonly metrics: readonly MetricResult[];
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** True when the run was stopped (Ctrl-C, --max-measurements) rather than finishing by itself. */
  readonly stopped: boolean;
}

export type AnalysisEvent =
  | { readonly type: 'started'; readonly at: Date; readonly metrics: readonly MetricInfo[] }
  | { readonly type: 'warning'; readonly at: Date; readonly message: string; readonly metric?: string }
  | {
      readonly type: 'measurement';
      readonly at: Date;
      readonly metric: string;
      readonly dryRun: boolean;
      readonly measurement: Measurement;
      readonly counters: MetricCounters;
    }
  | {
      readonly type: 'metric';
      readonly at: Date;
      readonly metric: string;
      readonly dryRun: boolean;
      readonly phase: AnalysisPhase;
      readonly message?: string;
    }
  | { readonly type: 'finished'; readonly at: Date; readonly result: AnalysisResult };

/** A buffered single-consumer async iterator: events are kept until read, and the stream ends after `close`. */
export class EventStream<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private closed = false;

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting !== undefined) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
    } else this.buffer.push(item);
  }

  close(): void {
    this.closed = true;
    if (this.waiting !== undefined) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.buffer.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}
