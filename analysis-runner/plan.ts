// From templates and `--arg` values to what the runner executes: args resolved, metrics validated as Argo's
// ValidateMetrics does (same messages), dry-run rules matched (regular expressions, unanchored, as Go's
// regexp.MatchString), conditions and jsonPath compiled. Anything this runner cannot do is refused here, before the
// first measurement.
import { flattenArgs, resolveArgs, resolveMetric } from './args.js';
import { parseDuration } from './durations.js';
import { compileCondition, type Condition } from './expr/index.js';
import { parseJsonPath, type JsonPath } from './jsonpath.js';
import { intValue } from './phases.js';
import type { AnalysisTemplate, DryRun, Metric, WebMetric } from './types.js';

export class AnalysisSpecError extends Error {
  override readonly name = 'AnalysisSpecError';
}

export interface MetricPlan {
  /** The metric with every arg filled in. */
  readonly metric: Metric;
  readonly web: WebMetric;
  readonly dryRun: boolean;
  readonly success?: Condition;
  readonly failure?: Condition;
  readonly jsonPath: JsonPath;
  readonly intervalMs?: number;
  readonly initialDelayMs?: number;
}

export interface AnalysisPlan {
  readonly metrics: readonly MetricPlan[];
  /** Secret values given with --arg, to redact. */
  readonly secrets: readonly string[];
  readonly warnings: readonly string[];
}

export interface PlanInput {
  readonly templates: readonly AnalysisTemplate[];
  readonly args?: Readonly<Record<string, string>>;
  /** Extra dry-run rules (the Rollout's `analysis.dryRun`), added to the templates' own. */
  readonly dryRun?: readonly DryRun[];
}

export function planAnalysis(input: PlanInput): AnalysisPlan {
  const args = resolveArgs(flattenArgs(input.templates.map((t) => t.spec.args ?? [])), input.args ?? {});
  const metrics: Metric[] = [];
  for (const template of input.templates) {
    for (const m of template.spec.metrics) {
      if (metrics.some((x) => x.name === m.name))
        throw new AnalysisSpecError(`two metrics have the same name '${m.name}'`);
      metrics.push(resolveMetric(m, args.values));
    }
  }
  if (metrics.length === 0) throw new AnalysisSpecError('Analysis spec invalid: no metrics specified');
  metrics.forEach((m, i) => validateMetric(m, i));
  const dryRun = dryRunMetrics(
    [...input.templates.flatMap((t) => t.spec.dryRun ?? []), ...(input.dryRun ?? [])],
    metrics,
  );
  const warnings: string[] = [];
  const plans = metrics.map((metric, i) => {
    const web = metric.provider.web as WebMetric;
    let jsonPath: JsonPath;
    try {
      jsonPath = parseJsonPath(web.jsonPath ?? '');
    } catch (error) {
      throw new AnalysisSpecError(`metrics[${i}].provider.web.jsonPath: ${(error as Error).message}`);
    }
    if (jsonPath.hasText)
      warnings.push(
        `metric ${metric.name}: jsonPath ${JSON.stringify(jsonPath.source)} has text outside {...}; Kubernetes JSONPath ` +
          'returns that text as the result when it comes first',
      );
    return {
      metric,
      web,
      dryRun: dryRun.has(metric.name),
      ...condition('successCondition', metric.successCondition, i),
      ...condition('failureCondition', metric.failureCondition, i),
      jsonPath,
      ...(metric.interval ? { intervalMs: parseDuration(metric.interval) } : {}),
      ...(metric.initialDelay ? { initialDelayMs: parseDuration(metric.initialDelay) } : {}),
    } satisfies MetricPlan;
  });
  return { metrics: plans, secrets: args.secrets, warnings };
}

function condition(field: 'successCondition' | 'failureCondition', source: string | undefined, i: number) {
  if (source === undefined || source === '') return {};
  try {
    return { [field === 'successCondition' ? 'success' : 'failure']: compileCondition(source) };
  } catch (error) {
    throw new AnalysisSpecError(`metrics[${i}].${field}: ${(error as Error).message}`);
  }
}

/** analysisutil.GetDryRunMetrics: each rule is a regular expression that must match at least one metric. */
export function dryRunMetrics(
  rules: readonly DryRun[],
  metrics: readonly Pick<Metric, 'name'>[],
): Set<string> {
  const names = new Set<string>();
  rules.forEach((rule, i) => {
    let re: RegExp;
    try {
      re = new RegExp(rule.metricName);
    } catch {
      throw new AnalysisSpecError(
        `dryRun[${i}]: invalid regular expression ${JSON.stringify(rule.metricName)}`,
      );
    }
    const matched = metrics.filter((m) => re.test(m.name));
    if (matched.length === 0)
      throw new AnalysisSpecError(`dryRun[${i}]: Rule didn't match any metric name(s)`);
    matched.forEach((m) => names.add(m.name));
  });
  return names;
}

/** analysisutil.ValidateMetric, plus what this runner supports (the web provider only). */
export function validateMetric(metric: Metric, i: number): void {
  const invalid = (message: string): never => {
    throw new AnalysisSpecError(`Analysis spec invalid: metrics[${i}]: ${message}`);
  };
  const count = intValue(metric.count);
  const failureLimit = intValue(metric.failureLimit);
  const successLimit = intValue(metric.consecutiveSuccessLimit);
  const inconclusiveLimit = intValue(metric.inconclusiveLimit);
  if (successLimit < 0) invalid('consecutiveSuccessLimit must be >= 0');
  if (failureLimit < -1) invalid('failureLimit must be >= 0, or -1 to be disabled');
  if (successLimit === 0 && failureLimit === -1)
    invalid('failureLimit and consecutiveSuccessLimit cannot both be disabled');
  if (inconclusiveLimit < 0) invalid('inconclusiveLimit must be >= 0');
  if (metric.consecutiveErrorLimit !== undefined && intValue(metric.consecutiveErrorLimit) < 0)
    invalid('consecutiveErrorLimit must be >= 0');
  if (count > 0) {
    if (failureLimit >= 0 && count < failureLimit + successLimit)
      invalid(
        `count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${failureLimit} + ${successLimit}) if both >= 0`,
      );
    if (failureLimit < 0 && count < successLimit) invalid('count must be >= consecutiveSuccessLimit');
    if (count < inconclusiveLimit) invalid('count must be >= inconclusiveLimit');
  }
  if (count > 1 && !metric.interval) invalid('interval must be specified when count > 1');
  for (const [field, label] of [
    ['interval', 'interval'],
    ['initialDelay', 'startDelay'],
  ] as const) {
    const value = metric[field];
    if (value) {
      try {
        parseDuration(value);
      } catch (error) {
        invalid(`invalid ${label} string: ${(error as Error).message}`);
      }
    }
  }
  const providers = Object.keys(metric.provider ?? {}).filter(
    (k) => metric.provider[k] !== undefined && metric.provider[k] !== null,
  );
  if (providers.length === 0) invalid('no provider specified');
  if (providers.length > 1) invalid('multiple providers specified');
  const web = metric.provider.web;
  if (web === undefined)
    throw new AnalysisSpecError(
      `metric ${metric.name} uses the ${providers[0]} provider; vllm-canary analyze runs the web provider only`,
    );
  if (typeof web.url !== 'string' || web.url === '') invalid('provider.web.url is required');
  if (web.authentication?.oauth2 !== undefined && Object.keys(web.authentication.oauth2).length > 0)
    throw new AnalysisSpecError(
      `metric ${metric.name}: provider.web.authentication.oauth2 is not supported by vllm-canary analyze; pass a token in headers`,
    );
}
