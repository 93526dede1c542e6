// `npm run chart:templates`: writes the Helm chart's generated files from the project's one source of each:
//   files/cluster-analysis-templates.yaml         the library's ClusterAnalysisTemplates, no auth
//   files/cluster-analysis-templates-bearer.yaml  the same, sending the provider's bearer token
//   files/datasets/*.yaml                         the quality datasets the provider ships (metrics-provider/quality/datasets)
//   files/dashboard.json                          the Grafana dashboard, built from the vLLM metric catalog
// Release-specific values are placeholders the chart replaces (`replace` in templates/analysis-templates/), so Helm
// never parses Argo's `{{args.x}}`. `--check` writes nothing and exits 1 when a committed file differs.
// test/unit/chart/generated-files.test.ts fails when the committed files are not what this renders now.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTemplatesYaml, type RenderOptions } from '../analysis-templates/index.js';
import { VLLM_METRICS } from '../metrics-provider/catalog/index.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CHART_DIR = join(REPO_ROOT, 'charts', 'vllm-canary');
const DATASETS_SOURCE = join(REPO_ROOT, 'metrics-provider', 'quality', 'datasets');

/** Placeholders in the chart files; templates/analysis-templates/_library.tpl replaces each. */
export const PLACEHOLDERS = {
  providerUrl: 'http://__VLLM_CANARY_PROVIDER_URL__',
  prometheusUrl: 'http://__VLLM_CANARY_PROMETHEUS_URL__',
  // The library checks these are DNS names and Secret keys, so they are written as such.
  tokenSecret: 'vllm-canary-chart-placeholder-token-secret',
  tokenKey: 'vllm-canary-chart-placeholder-token-key',
} as const;

/** The render options of each templates file of the chart. */
export function chartTemplateOptions(auth: 'none' | 'bearer'): RenderOptions {
  return {
    providerUrl: PLACEHOLDERS.providerUrl,
    prometheusUrl: PLACEHOLDERS.prometheusUrl,
    clusterScope: true,
    auth:
      auth === 'bearer'
        ? { mode: 'bearer', secretName: PLACEHOLDERS.tokenSecret, secretKey: PLACEHOLDERS.tokenKey }
        : { mode: 'none' },
  };
}

/** Every generated chart file, by path relative to the chart folder. */
export function chartFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('files/cluster-analysis-templates.yaml', renderTemplatesYaml(chartTemplateOptions('none')));
  files.set(
    'files/cluster-analysis-templates-bearer.yaml',
    renderTemplatesYaml(chartTemplateOptions('bearer')),
  );
  for (const name of readdirSync(DATASETS_SOURCE)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    files.set(`files/datasets/${name}`, readFileSync(join(DATASETS_SOURCE, name), 'utf8'));
  }
  files.set('files/dashboard.json', `${JSON.stringify(grafanaDashboard(), null, 2)}\n`);
  return files;
}

// --- The Grafana dashboard: canary against stable for every signal the checks judge. ---

const CANARY = 'canary';
const STABLE = 'stable';
type Track = typeof CANARY | typeof STABLE;

/** Label matchers of one track; `withModel` false for metrics without a model label (http_requests_total). */
function selector(track: Track, withModel = true, extra = ''): string {
  const parts = ['namespace="$namespace"', `rollouts_pod_template_hash="$${track}"`];
  if (withModel) parts.splice(1, 0, 'model_name="$model"');
  if (extra !== '') parts.push(extra);
  return `{${parts.join(', ')}}`;
}

function quantile(histograms: readonly string[]): (track: Track) => string {
  const name =
    histograms.length === 1
      ? `${histograms[0]}_bucket`
      : `{__name__=~"${histograms.map((h) => `${h}_bucket`).join('|')}"}`;
  return (track) => {
    const matchers = selector(track).slice(1, -1);
    const series = name.startsWith('{') ? `${name.slice(0, -1)}, ${matchers}}` : `${name}{${matchers}}`;
    return `histogram_quantile($quantile, sum by (le) (rate(${series}[$window])))`;
  };
}

function errorRatio(track: Track): string {
  const failedHttp = `sum(rate(${VLLM_METRICS.httpRequests}${selector(track, false, 'status="5xx"')}[$window]))`;
  const failedFinish = `sum(rate(${VLLM_METRICS.requestSuccess}${selector(track, true, 'finished_reason=~"abort|error"')}[$window]))`;
  const total = `sum(rate(${VLLM_METRICS.httpRequests}${selector(track, false)}[$window]))`;
  return `((${failedHttp} or vector(0)) + (${failedFinish} or vector(0))) / ${total}`;
}

interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly expr: (track: Track) => string;
}

const PANELS: readonly PanelSpec[] = [
  {
    title: 'End-to-end latency ($quantile quantile)',
    description: 'The latency check (signal=e2e): vllm:e2e_request_latency_seconds.',
    unit: 's',
    expr: quantile([VLLM_METRICS.e2eLatency]),
  },
  {
    title: 'Time to first token ($quantile quantile)',
    description: 'The TTFT check: vllm:time_to_first_token_seconds.',
    unit: 's',
    expr: quantile([VLLM_METRICS.ttft]),
  },
  {
    title: 'Inter-token latency ($quantile quantile)',
    description:
      'The ITL check: vllm:inter_token_latency_seconds (vllm:time_per_output_token_seconds before vLLM 0.11).',
    unit: 's',
    expr: quantile([VLLM_METRICS.interTokenLatency, VLLM_METRICS.timePerOutputToken]),
  },
  {
    title: 'Queue time ($quantile quantile)',
    description: 'The latency check (signal=queue): vllm:request_queue_time_seconds.',
    unit: 's',
    expr: quantile([VLLM_METRICS.queueTime]),
  },
  {
    title: 'Error ratio',
    description:
      'The error-ratio check: HTTP 5xx answers plus requests finished abort/error, over all answers.',
    unit: 'percentunit',
    expr: errorRatio,
  },
  {
    title: 'KV-cache usage',
    description:
      'The kv-cache check: vllm:kv_cache_usage_perc (vllm:gpu_cache_usage_perc up to vLLM 0.10), busiest pod.',
    unit: 'percentunit',
    expr: (t) =>
      `max(${VLLM_METRICS.kvCacheUsage}${selector(t)}) or max(${VLLM_METRICS.gpuCacheUsage}${selector(t)})`,
  },
  {
    title: 'Preemptions per second',
    description: 'The kv-cache check counts preemptions: vllm:num_preemptions_total.',
    unit: 'ops',
    expr: (t) => `sum(rate(${VLLM_METRICS.preemptions}${selector(t)}[$window]))`,
  },
  {
    title: 'Requests waiting',
    description: 'The queue check: vllm:num_requests_waiting, summed over pods.',
    unit: 'short',
    expr: (t) => `sum(${VLLM_METRICS.requestsWaiting}${selector(t)})`,
  },
  {
    title: 'Finished requests per second',
    description:
      'Traffic each version gets (vllm:request_success_total): the weight the Rollout set, as seen by vLLM.',
    unit: 'reqps',
    expr: (t) => `sum(rate(${VLLM_METRICS.requestSuccess}${selector(t)}[$window]))`,
  },
];

function panel(spec: PanelSpec, id: number): Record<string, unknown> {
  const x = ((id - 1) % 2) * 12;
  const y = Math.floor((id - 1) / 2) * 8;
  return {
    id,
    type: 'timeseries',
    title: spec.title,
    description: spec.description,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: {
      defaults: { unit: spec.unit, custom: { lineWidth: 2, fillOpacity: 0 } },
      overrides: [
        {
          matcher: { id: 'byName', options: CANARY },
          properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } }],
        },
        {
          matcher: { id: 'byName', options: STABLE },
          properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'green' } }],
        },
      ],
    },
    options: {
      legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] },
      tooltip: { mode: 'multi' },
    },
    targets: [CANARY, STABLE].map((track, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: { type: 'prometheus', uid: '${datasource}' },
      expr: spec.expr(track as Track),
      legendFormat: track,
    })),
  };
}

/** The quality check and every other verdict, from the provider's own metrics. */
function verdictPanel(id: number): Record<string, unknown> {
  const y = Math.ceil((id - 1) / 2) * 8;
  return {
    id,
    type: 'timeseries',
    title: 'Provider verdicts by check (quality included)',
    description:
      "vllm_canary_verdicts_total from the provider's /metrics: pass, fail and inconclusive per check.",
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 24, x: 0, y },
    fieldConfig: {
      defaults: { unit: 'short', custom: { drawStyle: 'bars', stacking: { mode: 'normal' } } },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: [
      {
        refId: 'A',
        datasource: { type: 'prometheus', uid: '${datasource}' },
        expr: 'sum by (check, verdict) (increase(vllm_canary_verdicts_total[$window]))',
        legendFormat: '{{check}} {{verdict}}',
      },
    ],
  };
}

function labelVariable(name: string, label: string, query: string): Record<string, unknown> {
  return {
    name,
    label,
    type: 'query',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    query: { query, refId: `${name}-values` },
    refresh: 2,
    sort: 1,
    includeAll: false,
    multi: false,
  };
}

export function grafanaDashboard(): Record<string, unknown> {
  const running = VLLM_METRICS.requestsRunning;
  const hashes = `label_values(${running}{namespace="$namespace", model_name="$model"}, rollouts_pod_template_hash)`;
  return {
    uid: 'vllm-canary',
    title: 'vLLM canary vs stable',
    description:
      'Every signal the vllm-canary checks judge, canary against stable (generated by npm run chart:templates).',
    tags: ['vllm', 'vllm-canary', 'argo-rollouts'],
    schemaVersion: 39,
    version: 1,
    editable: true,
    timezone: 'browser',
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', refresh: 1 },
        labelVariable('namespace', 'Namespace', `label_values(${running}, namespace)`),
        labelVariable('model', 'Model', `label_values(${running}{namespace="$namespace"}, model_name)`),
        labelVariable('canary', 'Canary pod-template-hash', hashes),
        labelVariable('stable', 'Stable pod-template-hash', hashes),
        {
          name: 'window',
          label: 'Window',
          type: 'custom',
          query: '1m,5m,15m,1h',
          current: { text: '5m', value: '5m' },
        },
        {
          name: 'quantile',
          label: 'Quantile',
          type: 'custom',
          query: '0.5,0.9,0.95,0.99',
          current: { text: '0.95', value: '0.95' },
        },
      ],
    },
    panels: [...PANELS.map((spec, i) => panel(spec, i + 1)), verdictPanel(PANELS.length + 1)],
  };
}

// --- Writing, or checking. ---

function main(check: boolean): number {
  const files = chartFiles();
  const stale: string[] = [];
  for (const [path, content] of files) {
    const target = join(CHART_DIR, path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === content) continue;
    stale.push(path);
    if (!check) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }
  // A dataset removed from the source goes from the chart too.
  const datasetsDir = join(CHART_DIR, 'files', 'datasets');
  for (const name of existsSync(datasetsDir) ? readdirSync(datasetsDir) : []) {
    const path = `files/datasets/${name}`;
    if (files.has(path)) continue;
    stale.push(path);
    if (!check) rmSync(join(datasetsDir, name));
  }
  const where = relative(REPO_ROOT, CHART_DIR);
  if (check) {
    if (stale.length > 0) {
      process.stderr.write(`out of date under ${where}: ${stale.join(', ')}; run npm run chart:templates\n`);
      return 1;
    }
    process.stdout.write(`${files.size} generated files under ${where} are up to date\n`);
    return 0;
  }
  process.stdout.write(`wrote ${stale.length} of ${files.size} generated files under ${where}\n`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.includes('--check'));
}
