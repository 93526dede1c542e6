// The demo's terminal view. On a terminal it redraws one screen in place: the step and weight, progress, and each
// check's canary and stable figures with its verdict. Elsewhere (CI, a pipe) it prints one line per event instead,
// so logs stay readable.
import { formatFigure } from '../metrics-provider/judge/index.js';
import type { FigureRecord, Timeline } from './timeline.js';

export interface ViewState {
  readonly title: string;
  readonly stepIndex: number;
  readonly stepCount: number;
  readonly weight: number;
  readonly measurement: number;
  readonly measurements: number;
  readonly requests: { readonly stable: number; readonly canary: number };
  readonly note?: string;
}

const COLORS: Record<string, string> = {
  pass: '\x1b[32m',
  fail: '\x1b[31m',
  inconclusive: '\x1b[33m',
  error: '\x1b[31m',
};
const RESET = '\x1b[0m';

export function renderScreen(state: ViewState, timeline: Timeline, color: boolean): string {
  const paint = (verdict: string) => (color ? `${COLORS[verdict] ?? ''}${verdict}${RESET}` : verdict);
  const progress = state.measurements === 0 ? 0 : state.measurement / state.measurements;
  const bar = `${'#'.repeat(Math.round(progress * 20))}${'-'.repeat(20 - Math.round(progress * 20))}`;
  const lines = [
    state.title,
    `elapsed ${timeline.elapsed().toFixed(0)}s   requests stable ${state.requests.stable}, canary ${state.requests.canary}`,
    '',
    `step ${state.stepIndex + 1}/${state.stepCount}   canary weight ${state.weight}%   [${bar}] measurement ${state.measurement}/${state.measurements}`,
    '',
    `${'check'.padEnd(28)}${'canary'.padStart(12)}${'stable'.padStart(12)}   verdict`,
    ...timeline.latestByCheck().map((f) => row(f, paint)),
    '',
    state.note ?? '',
  ];
  return lines.join('\n');
}

function row(f: FigureRecord, paint: (verdict: string) => string): string {
  const fig = (v: number | null) => formatFigure(v ?? undefined, f.unit);
  return `${f.check.padEnd(28)}${fig(f.canary).padStart(12)}${fig(f.stable).padStart(12)}   ${paint(f.verdict)}`;
}

/** One line per measurement, for logs: the provider's reason already names the figure and both values. */
export function renderLine(f: FigureRecord): string {
  return `[${f.at.toFixed(1).padStart(6)}s] step ${f.step + 1} ${f.verdict.padEnd(12)} ${f.reason}`;
}

/** Writes the screen in place on a TTY (clear and home), at most every `minIntervalMs`. */
export class LiveView {
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly minIntervalMs = 250,
  ) {}

  get interactive(): boolean {
    return this.out.isTTY === true;
  }

  draw(state: ViewState, timeline: Timeline, force = false): void {
    if (!this.interactive) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < this.minIntervalMs) return;
    this.lastDraw = now;
    this.out.write(`\x1b[H\x1b[2J${renderScreen(state, timeline, true)}\n`);
  }

  line(text: string): void {
    if (!this.interactive) this.out.write(`${text}\n`);
  }
}
