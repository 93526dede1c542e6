// The demo: a canary rollout of a vLLM model, step by step (10%, 30%, 60%, 100%), with real HTTP traffic split by
// weight, the provider judging the canary from scraped vLLM metrics and sampled answers, and the library's
// AnalysisTemplates run with Argo Rollouts' semantics at every step. A failed analysis aborts the rollout; an
// inconclusive one pauses it for a person, who is not there, so the demo aborts (or promotes, if told to).
import { writeFileSync } from 'node:fs';
import type { AnalysisEvent, AnalysisResult, MetricResult } from '../analysis-runner/index.js';
import { libraryTemplate, send, startAnalysis, type Transport } from '../analysis-runner/index.js';
import { generateLoad } from './load-generator.js';
import { LiveView, renderLine, type ViewState } from './live-view.js';
import { htmlReport } from './report/html-report.js';
import { SCENARIOS, type ScenarioName } from './scenarios.js';
import {
  CANARY_HASH,
  DEMO_MODEL,
  DEMO_NAMESPACE,
  STABLE_HASH,
  startDemoStack,
  type DemoStack,
} from './stack.js';
import { Timeline, type FigureRecord } from './timeline.js';

/** The templates each step runs: one per way a canary goes wrong. */
export const DEMO_TEMPLATES = ['vllm-latency', 'vllm-error-ratio', 'vllm-kv-cache', 'vllm-quality'] as const;

export interface DemoOptions {
  readonly scenario: ScenarioName;
  /** Analysis time runs this much faster than real time: intervals are divided by it, windows shortened. */
  readonly timeScale: number;
  readonly steps: readonly number[];
  readonly seed: number;
  /** What to do when an analysis is inconclusive and no person is there to decide. */
  readonly onInconclusive: 'abort' | 'promote';
  readonly reportPath?: string;
  readonly out: NodeJS.WriteStream;
}

export interface DemoResult {
  readonly outcome: 'promoted' | 'aborted';
  /** The last line: `promoted ...` or `aborted at step N because ...`. */
  readonly line: string;
  readonly abortedAtStep?: number;
  readonly reportPath?: string;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const scenario = SCENARIOS[options.scenario];
  const timeline = new Timeline();
  const view = new LiveView(options.out);
  const title = `vllm-canary demo: scenario ${scenario.name} (time scale ${options.timeScale}x)`;
  view.line(`${title}\n${scenario.description}`);
  view.line('starting the stable and canary emulators, the scrape source and the provider...');
  const stack = await startDemoStack(scenario, options.seed);
  let result: DemoResult | undefined;
  try {
    result = await runSteps(stack, options, timeline, view, title);
  } finally {
    await stack.close();
  }
  const outcome = result;
  if (options.reportPath !== undefined) {
    writeFileSync(
      options.reportPath,
      htmlReport({
        scenario: scenario.name,
        description: scenario.description,
        outcome: outcome.line,
        timeline,
        generatedAt: new Date(),
      }),
    );
  }
  return { ...outcome, ...(options.reportPath === undefined ? {} : { reportPath: options.reportPath }) };
}

async function runSteps(
  stack: DemoStack,
  options: DemoOptions,
  timeline: Timeline,
  view: LiveView,
  title: string,
): Promise<DemoResult> {
  const window = `${Math.max(10, Math.round(300 / options.timeScale))}s`;
  const requestsPerSecond = Math.max(40, 8 * options.timeScale);
  const requests = { stable: 0, canary: 0 };

  for (const [index, weight] of options.steps.entries()) {
    const step = timeline.startStep(index, weight);
    view.line(`step ${index + 1}/${options.steps.length}: canary weight ${weight}%`);
    if (weight >= 100) {
      // Full weight is the promotion itself: stable serves nothing any more, so there is nothing to compare with
      // (Argo Rollouts likewise promotes when the last step completes).
      timeline.endStep(step, 'Successful');
      view.line(`step ${index + 1}: the canary takes all traffic`);
      break;
    }
    const stopLoad = new AbortController();
    const load = generateLoad({
      stable: { url: stack.stable.url, model: DEMO_MODEL },
      canary: { url: stack.canary.url, model: DEMO_MODEL },
      canaryWeight: weight,
      requests: Number.MAX_SAFE_INTEGER,
      concurrency: 16,
      ratePerSecond: requestsPerSecond,
      seed: options.seed + index,
      signal: stopLoad.signal,
      tallies: requests,
    });
    let state: ViewState = {
      title,
      stepIndex: index,
      stepCount: options.steps.length,
      weight,
      measurement: 0,
      measurements: 0,
      requests,
    };
    const redraw = setInterval(() => view.draw(state, timeline), 500);
    let analysis: AnalysisResult;
    try {
      // Let the first window fill with traffic at this weight before the first measurement.
      await new Promise((r) => setTimeout(r, (Number.parseInt(window, 10) * 1000) / 2));
      const capture = captureAnswers(timeline, index, (figure) => view.line(renderLine(figure)));
      const run = startAnalysis({
        templates: DEMO_TEMPLATES.map((name) => libraryTemplate(name)),
        args: {
          namespace: DEMO_NAMESPACE,
          model: DEMO_MODEL,
          'canary-hash': CANARY_HASH,
          'stable-hash': STABLE_HASH,
          'provider-url': stack.provider.url,
          window,
          'quality-sample': '20',
        },
        timeScale: options.timeScale,
        transport: capture,
        onEvent: (event) => {
          state = { ...state, ...progress(event, state) };
        },
      });
      analysis = await run.result;
    } finally {
      clearInterval(redraw);
      stopLoad.abort();
      await load;
    }
    timeline.endStep(step, analysis.phase);
    view.draw({ ...state, note: `step ${index + 1}: analysis ${analysis.phase}` }, timeline, true);
    view.line(
      `step ${index + 1}: analysis ${analysis.phase}${analysis.message ? ` (${analysis.message})` : ''}`,
    );

    const verdict = decide(analysis, options.onInconclusive);
    if (verdict !== 'continue') {
      const line = `aborted at step ${index + 1} because ${because(analysis)}`;
      return { outcome: 'aborted', line, abortedAtStep: index + 1 };
    }
  }
  const analysed = options.steps.filter((w) => w < 100);
  const line = `promoted: every analysis passed at ${analysed.map((w) => `${w}%`).join(', ')}; the canary now takes 100%`;
  return { outcome: 'promoted', line };
}

function decide(
  analysis: AnalysisResult,
  onInconclusive: DemoOptions['onInconclusive'],
): 'continue' | 'abort' {
  if (analysis.phase === 'Successful') return 'continue';
  if (analysis.phase === 'Inconclusive' && onInconclusive === 'promote') return 'continue';
  return 'abort';
}

/** The failing metric and the provider's own reason for its last failed (or inconclusive) measurement. */
function because(analysis: AnalysisResult): string {
  const worst = analysis.metrics.find((m) => m.phase === analysis.phase) ?? analysis.metrics[0];
  if (worst === undefined) return `the analysis ended ${analysis.phase}`;
  const last = [...worst.measurements].reverse().find((m) => m.phase !== 'Successful');
  const detail = last?.reason ?? last?.message ?? worst.message ?? '';
  return `${worst.name} ${describePhase(worst)}${detail === '' ? '' : `: ${detail}`}`;
}

function describePhase(metric: MetricResult): string {
  switch (metric.phase) {
    case 'Failed':
      return 'failed';
    case 'Inconclusive':
      return 'was inconclusive (no person to promote)';
    case 'Error':
      return 'could not be measured';
    default:
      return metric.phase.toLowerCase();
  }
}

function progress(event: AnalysisEvent, state: ViewState): Partial<ViewState> {
  if (event.type === 'started') {
    return { measurements: event.metrics.reduce((n, m) => n + (m.count ?? 1), 0), measurement: 0 };
  }
  if (event.type === 'measurement') return { measurement: state.measurement + 1 };
  return {};
}

/** Sends each measurement as the runner would, and records the provider's full answer for the view and report. */
function captureAnswers(timeline: Timeline, step: number, shown: (figure: FigureRecord) => void): Transport {
  return async (request) => {
    const answer = await send(request);
    if (answer.ok) {
      try {
        const body = JSON.parse(answer.body) as Record<string, unknown>;
        if (typeof body.check === 'string' && typeof body.verdict === 'string') {
          const figure = timeline.record({
            step,
            check: figureName(body),
            verdict: body.verdict,
            canary: typeof body.value === 'number' ? body.value : null,
            stable: typeof body.baseline === 'number' ? body.baseline : null,
            unit: typeof body.unit === 'string' ? body.unit : '',
            reason: typeof body.reason === 'string' ? body.reason : '',
          });
          shown(figure);
        }
      } catch {
        // not JSON: the runner reports it; nothing to chart
      }
    }
    return answer;
  };
}

/** "p95 e2e latency" rather than "latency": the reason's figure name, before its colon. */
function figureName(body: Record<string, unknown>): string {
  const reason = typeof body.reason === 'string' ? body.reason : '';
  const figure = reason.split(':')[0];
  return figure !== undefined && figure.length > 0 && figure.length < 40 ? figure : String(body.check);
}
