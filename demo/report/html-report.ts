// The demo's HTML report: the outcome, the steps, and one chart per check of canary against stable over time,
// as a single self-contained file (inline SVG, no scripts) that opens anywhere.
import { formatFigure } from '../../metrics-provider/judge/index.js';
import type { FigureRecord, Timeline } from '../timeline.js';
import { escapeXml, lineChart } from './svg-chart.js';

export interface ReportInput {
  readonly scenario: string;
  readonly description: string;
  readonly outcome: string;
  readonly timeline: Timeline;
  readonly generatedAt: Date;
}

const CANARY = '#d1495b';
const STABLE = '#2e86ab';

export function htmlReport(input: ReportInput): string {
  const { timeline } = input;
  const checks = [...new Set(timeline.figures.map((f) => f.check))];
  const bands = timeline.steps.map((s) => ({
    from: s.startedAt,
    to: s.endedAt ?? timeline.elapsed(),
    label: `${s.weight}%`,
  }));
  const charts = checks.map((check) =>
    chartFor(
      check,
      timeline.figures.filter((f) => f.check === check),
      bands,
    ),
  );
  const steps = timeline.steps
    .map(
      (s) =>
        `<tr><td>${s.index + 1}</td><td>${s.weight}%</td><td>${s.startedAt.toFixed(1)}s</td><td>${((s.endedAt ?? s.startedAt) - s.startedAt).toFixed(1)}s</td><td class="${escapeXml(s.phase ?? '')}">${escapeXml(s.phase ?? 'running')}</td></tr>`,
    )
    .join('\n');
  const rows = timeline.figures
    .map(
      (f) =>
        `<tr><td>${f.at.toFixed(1)}s</td><td>${f.step + 1}</td><td>${escapeXml(f.check)}</td><td>${escapeXml(formatFigure(f.canary ?? undefined, f.unit))}</td><td>${escapeXml(formatFigure(f.stable ?? undefined, f.unit))}</td><td class="${escapeXml(f.verdict)}">${escapeXml(f.verdict)}</td><td>${escapeXml(f.reason)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>vllm-canary demo: ${escapeXml(input.scenario)}</title>
<style>
  body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #24292f; }
  h1 { font-size: 1.4em; } .outcome { font-size: 1.2em; font-weight: bold; padding: .6em; background: #f6f8fa; }
  table { border-collapse: collapse; margin: 1em 0; font-size: .9em; } td, th { border: 1px solid #d0d7de; padding: .3em .6em; text-align: left; }
  .pass, .Successful { color: #1a7f37; } .fail, .Failed, .Error { color: #cf222e; } .inconclusive, .Inconclusive { color: #9a6700; }
  .charts { display: flex; flex-wrap: wrap; gap: 1em; }
</style>
</head>
<body>
<h1>vllm-canary demo — scenario <code>${escapeXml(input.scenario)}</code></h1>
<p>${escapeXml(input.description)}</p>
<p class="outcome">${escapeXml(input.outcome)}</p>
<h2>Steps</h2>
<table><tr><th>step</th><th>canary weight</th><th>started</th><th>took</th><th>analysis</th></tr>
${steps}
</table>
<h2>Canary against stable</h2>
<div class="charts">
${charts.join('\n')}
</div>
<h2>Every measurement</h2>
<table><tr><th>at</th><th>step</th><th>check</th><th>canary</th><th>stable</th><th>verdict</th><th>reason</th></tr>
${rows}
</table>
<p>Generated ${escapeXml(input.generatedAt.toISOString())} by vllm-canary.</p>
</body>
</html>
`;
}

function chartFor(
  check: string,
  figures: readonly FigureRecord[],
  bands: Parameters<typeof lineChart>[0]['bands'],
): string {
  const unit = figures[0]?.unit ?? '';
  const points = (pick: (f: FigureRecord) => number | null) =>
    figures.flatMap((f) => {
      const y = pick(f);
      return y === null ? [] : [{ x: f.at, y }];
    });
  return lineChart({
    title: check,
    yLabel: unit,
    formatY: (y) => formatFigure(y, unit),
    bands,
    series: [
      { name: 'canary', color: CANARY, points: points((f) => f.canary) },
      { name: 'stable', color: STABLE, points: points((f) => f.stable) },
    ],
  });
}
