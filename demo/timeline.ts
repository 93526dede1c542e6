// What the demo records as it runs: the steps of the rollout and every figure each check reported, per track.
// The live view and the HTML report are both drawn from it.

export interface StepRecord {
  readonly index: number;
  readonly weight: number;
  readonly startedAt: number;
  endedAt?: number;
  phase?: string;
}

export interface FigureRecord {
  /** Seconds since the demo started. */
  readonly at: number;
  readonly step: number;
  readonly check: string;
  readonly verdict: string;
  readonly canary: number | null;
  readonly stable: number | null;
  readonly unit: string;
  readonly reason: string;
}

export class Timeline {
  readonly steps: StepRecord[] = [];
  readonly figures: FigureRecord[] = [];
  private readonly started: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.started = now();
  }

  /** Seconds since the demo started. */
  elapsed(): number {
    return (this.now() - this.started) / 1000;
  }

  startStep(index: number, weight: number): StepRecord {
    const step: StepRecord = { index, weight, startedAt: this.elapsed() };
    this.steps.push(step);
    return step;
  }

  endStep(step: StepRecord, phase: string): void {
    step.endedAt = this.elapsed();
    step.phase = phase;
  }

  record(figure: Omit<FigureRecord, 'at'>): FigureRecord {
    const recorded = { ...figure, at: this.elapsed() };
    this.figures.push(recorded);
    return recorded;
  }

  /** The latest figure of each check, in first-seen order. */
  latestByCheck(): FigureRecord[] {
    const latest = new Map<string, FigureRecord>();
    for (const f of this.figures) latest.set(f.check, f);
    return [...latest.values()];
  }
}
