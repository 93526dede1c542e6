// npm run bench:detect — how fast and how reliably each way of judging a canary catches a regression, and how often
// it fails a canary identical to stable. Virtual time: requests are drawn, binned into vLLM's real buckets and
// judged once a minute over a sliding 5-minute window, 5 looks per analysis run, as Argo Rollouts would measure.
// Options: --trials N (default 1000, at least 500 for the published table), --seed S, --no-write.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIOS } from './detect/model.js';
import { DEFAULT_SETTINGS } from './detect/methods.js';
import { detectionChart, markdownTable, replaceSection, type Row } from './detect/report.js';
import { DEFAULT_SETUP, simulateScenario } from './detect/simulate.js';

const WEIGHTS = [0.05, 0.1, 0.3];
const HEADLINE = { scenario: 'e2e p95 +25%', weight: 0.1 };
const SECOND_PANEL = { scenario: 'TTFT x2 on 10% of requests', weight: 0.3 };
const START = '<!-- bench:detect:start -->';
const END = '<!-- bench:detect:end -->';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const trials = option('trials', 1000);
const seed = option('seed', 20_261_122);
const write = !process.argv.includes('--no-write');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`;

const started = Date.now();
console.log(`bench:detect — ${trials} trials per row, seed ${seed}, ${machine}`);
const rows: Row[] = [];
let index = 0;
for (const scenario of SCENARIOS) {
  for (const weight of WEIGHTS) {
    const t0 = Date.now();
    const rowSeed = (seed + 7919 * index++) >>> 0;
    const summary = simulateScenario(scenario, { ...DEFAULT_SETUP, weight }, trials, rowSeed);
    rows.push({ scenario: scenario.name, weight, aa: scenario.aa, summary });
    const brief = (['fixed', 'oracle', 'judge'] as const)
      .map((m) => `${m} ${((100 * summary[m].failed) / trials).toFixed(1)}%`)
      .join(', ');
    console.log(
      `  ${scenario.name} at ${weight * 100}%: ${brief} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
}
const seconds = (Date.now() - started) / 1000;

const find = (p: { scenario: string; weight: number }) =>
  rows.find((r) => r.scenario === p.scenario && r.weight === p.weight)!;
const { config } = DEFAULT_SETTINGS;
const table = markdownTable(rows);
const section = [
  '## Detection: fixed thresholds, the oracle and the judge (`npm run bench:detect`)',
  '',
  `${trials} simulated analysis runs per row (seed ${seed}); ${machine}; ${seconds.toFixed(0)} s.`,
  `10 requests/s in total; the canary starts at minute 0; one measurement a minute over a sliding 5-minute window,`,
  `${config.looks} looks, confidence ${config.confidence} for the whole run (per-look level 1 - ${config.confidence}^(1/${config.looks})),`,
  `minRequests ${DEFAULT_SETTINGS.minSamples}, tolerance ${DEFAULT_SETTINGS.latencyTolerance} (latency p95 ratio) and ${DEFAULT_SETTINGS.errorTolerance} (ratio of error ratios).`,
  'Stable: e2e log-normal, median 0.8 s, p95 1.1 s; TTFT log-normal, median 0.08 s, p95 0.18 s; 0.5% errors.',
  'A run fails at its first failing look (Argo aborts on the first failed measurement). Cells: share of runs failed,',
  '95% Wilson interval, and for regressions the median minute of detection. See docs/statistics.md for the tests.',
  '',
  table,
  '',
  '![Detection probability against time](images/detect.svg)',
  '',
].join('\n');

console.log('\n' + table + '\n');
console.log(`done in ${seconds.toFixed(1)} s`);

if (write) {
  const doc = resolve(root, 'docs', 'benchmarks.md');
  const before = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n';
  writeFileSync(doc, replaceSection(before, START, END, section));
  mkdirSync(resolve(root, 'docs', 'images'), { recursive: true });
  const panel = (p: { scenario: string; weight: number }) => ({
    title: `${p.scenario}, canary ${p.weight * 100}% of 10 req/s`,
    summary: find(p).summary,
  });
  writeFileSync(
    resolve(root, 'docs', 'images', 'detect.svg'),
    detectionChart([panel(HEADLINE), panel(SECOND_PANEL)], config.looks),
  );
  console.log('wrote docs/benchmarks.md (bench:detect section) and docs/images/detect.svg');
}
