// Rules about AnalysisTemplates and ClusterAnalysisTemplates: what Argo refuses when it builds an AnalysisRun
// (argo-rollouts v1.9.1 utils/analysis ValidateMetric, utils/template), and what makes a template behave badly.
import { finding, type Finding } from '../findings.js';
import { asArray, asRecord, isKind, type LintContext } from '../context.js';
import type { LintObject } from '../load.js';

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const ARG_TAG = /^\{\{.*\}\}$/;
const METHODS = ['GET', 'POST', 'PUT'];
const PROVIDERS = [
  'prometheus',
  'job',
  'web',
  'wavefront',
  'kayenta',
  'datadog',
  'newRelic',
  'cloudWatch',
  'graphite',
  'influxdb',
  'skywalking',
  'plugin',
];

function templates(ctx: LintContext): LintObject[] {
  return ctx.objects.filter((o) => isKind(o, 'AnalysisTemplate', 'ClusterAnalysisTemplate'));
}

function forEachMetric(
  ctx: LintContext,
  visit: (o: LintObject, metric: Record<string, unknown>, path: (string | number)[]) => Finding[],
): Finding[] {
  return templates(ctx).flatMap((o) =>
    asArray(asRecord(o.object.spec).metrics).flatMap((m, i) => visit(o, asRecord(m), ['spec', 'metrics', i])),
  );
}

/** `conditions`: both conditions are set, so a result that matches neither is Inconclusive (a pause), not a verdict. */
export function conditionsRule(ctx: LintContext): Finding[] {
  return forEachMetric(ctx, (o, metric, path) => {
    const missing = ['successCondition', 'failureCondition'].filter((c) => typeof metric[c] !== 'string');
    if (missing.length === 0 || 'job' in asRecord(metric.provider)) return [];
    return missing.map((c) =>
      finding(
        o,
        'conditions',
        [...path, c],
        `is not set: with only one condition Argo never answers Inconclusive, so "not enough data" aborts or passes`,
        'set both, e.g. successCondition: result == "pass" and failureCondition: result == "fail"',
      ),
    );
  });
}

/** `condition-default`: Argo's default() ignores its first argument, so default(result[0], x) yields the whole list. */
export function conditionDefaultRule(ctx: LintContext): Finding[] {
  return forEachMetric(ctx, (o, metric, path) =>
    ['successCondition', 'failureCondition'].flatMap((c) => {
      const text = metric[c];
      if (typeof text !== 'string' || !/default\(\s*result\s*\[/.test(text)) return [];
      return [
        finding(
          o,
          'condition-default',
          [...path, c],
          'default(result[...], x) returns the whole result, not result[...], unless the result is nil',
          'guard with len(result) > 0 && result[0] ... (an empty result then matches neither condition)',
        ),
      ];
    }),
  );
}

/** `metric-limits`: count, interval and the limits as Argo's ValidateMetric demands. */
export function metricLimitsRule(ctx: LintContext): Finding[] {
  return forEachMetric(ctx, (o, metric, path) => {
    const findings: Finding[] = [];
    const int = (name: string, fallback: number): number | undefined => {
      const v = metric[name];
      if (v === undefined) return fallback;
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && ARG_TAG.test(v)) return undefined;
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
      findings.push(
        finding(o, 'metric-limits', [...path, name], `"${String(v)}" is not a whole number`, 'use a number'),
      );
      return undefined;
    };
    const count = int('count', 0);
    const failureLimit = int('failureLimit', 0);
    const inconclusiveLimit = int('inconclusiveLimit', 0);
    const successLimit = int('consecutiveSuccessLimit', 0);
    const errorLimit = int('consecutiveErrorLimit', 4);
    const at = (field: string) => [...path, field];
    if (failureLimit !== undefined && failureLimit < -1)
      findings.push(
        finding(o, 'metric-limits', at('failureLimit'), 'must be >= 0, or -1 to be disabled', 'fix it'),
      );
    if (failureLimit === -1 && successLimit === 0)
      findings.push(
        finding(
          o,
          'metric-limits',
          at('failureLimit'),
          'failureLimit and consecutiveSuccessLimit cannot both be disabled',
          'set failureLimit >= 0 or consecutiveSuccessLimit > 0',
        ),
      );
    if (inconclusiveLimit !== undefined && inconclusiveLimit < 0)
      findings.push(finding(o, 'metric-limits', at('inconclusiveLimit'), 'must be >= 0', 'fix it'));
    if (errorLimit !== undefined && errorLimit < 0)
      findings.push(finding(o, 'metric-limits', at('consecutiveErrorLimit'), 'must be >= 0', 'fix it'));
    if (count !== undefined && count > 0) {
      if (
        failureLimit !== undefined &&
        failureLimit >= 0 &&
        successLimit !== undefined &&
        count < failureLimit + successLimit
      )
        findings.push(
          finding(
            o,
            'metric-limits',
            at('count'),
            `count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${failureLimit} + ${successLimit})`,
            'raise count or lower the limits',
          ),
        );
      if (inconclusiveLimit !== undefined && count < inconclusiveLimit)
        findings.push(
          finding(
            o,
            'metric-limits',
            at('count'),
            `count (${count}) must be >= inconclusiveLimit (${inconclusiveLimit})`,
            'raise count',
          ),
        );
    }
    const interval = metric.interval;
    if (count !== undefined && count > 1 && (interval === undefined || interval === ''))
      findings.push(
        finding(
          o,
          'metric-limits',
          at('count'),
          `count ${count} needs an interval`,
          'set interval (e.g. 1m) between measurements',
        ),
      );
    for (const field of ['interval', 'initialDelay']) {
      const v = metric[field];
      if (typeof v === 'string' && v !== '' && !GO_DURATION.test(v) && !ARG_TAG.test(v))
        findings.push(
          finding(
            o,
            'metric-limits',
            at(field),
            `"${v}" is not a duration`,
            'write a Go duration such as 30s, 1m or 1h30m',
          ),
        );
    }
    const providers = Object.keys(asRecord(metric.provider)).filter((p) => PROVIDERS.includes(p));
    if (providers.length !== 1)
      findings.push(
        finding(
          o,
          'metric-limits',
          at('provider'),
          providers.length === 0
            ? 'names no metric provider'
            : `names ${providers.length} providers (${providers.join(', ')})`,
          'give each metric exactly one provider',
        ),
      );
    return findings;
  });
}

/** `web-provider`: what Argo's web provider turns into an Error measurement on every run. */
export function webProviderRule(ctx: LintContext): Finding[] {
  return forEachMetric(ctx, (o, metric, path) => {
    const web = asRecord(asRecord(metric.provider).web);
    if (Object.keys(web).length === 0) return [];
    const at = (field: string) => [...path, 'provider', 'web', field];
    const findings: Finding[] = [];
    const method = typeof web.method === 'string' ? web.method : 'GET';
    if (!METHODS.includes(method))
      findings.push(
        finding(
          o,
          'web-provider',
          at('method'),
          `"${method}" is not GET, POST or PUT`,
          'use GET, POST or PUT',
        ),
      );
    if (web.body !== undefined && web.jsonBody !== undefined)
      findings.push(
        finding(
          o,
          'web-provider',
          at('jsonBody'),
          'body and jsonBody are both set: every measurement errors',
          'keep one',
        ),
      );
    if ((web.body !== undefined || web.jsonBody !== undefined) && method === 'GET')
      findings.push(
        finding(
          o,
          'web-provider',
          at(web.jsonBody !== undefined ? 'jsonBody' : 'body'),
          'a body is only sent with POST or PUT: every measurement errors with GET',
          'set method: POST',
        ),
      );
    if (web.jsonPath !== undefined && (typeof web.jsonPath !== 'string' || !/^\{.*\}$/.test(web.jsonPath)))
      findings.push(
        finding(
          o,
          'web-provider',
          at('jsonPath'),
          `"${String(web.jsonPath)}" is not a Kubernetes JSONPath in braces`,
          'write it as {$.verdict}',
        ),
      );
    if (typeof web.url === 'string' && !/^(https?:\/\/|\{\{)/.test(web.url))
      findings.push(
        finding(
          o,
          'web-provider',
          at('url'),
          `"${web.url}" is not an http(s) URL`,
          'start it with http://, https:// or an arg',
        ),
      );
    return findings;
  });
}

/** `unresolved-arg`: every `{{...}}` names a declared arg, or Argo fails the AnalysisRun ("failed to resolve"). */
export function unresolvedArgRule(ctx: LintContext): Finding[] {
  return templates(ctx).flatMap((o) => {
    const spec = asRecord(o.object.spec);
    const declared = new Set(asArray(spec.args).map((a) => asRecord(a).name));
    const findings: Finding[] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      if (typeof value === 'string') {
        for (const m of value.matchAll(/\{\{([^}]*)\}\}/g)) {
          const tag = (m[1] ?? '').trim();
          const name = tag.startsWith('args.') ? tag.slice(5) : undefined;
          if (name === undefined || !declared.has(name))
            findings.push(
              finding(
                o,
                'unresolved-arg',
                path,
                `{{${m[1]}}} names no arg of this template, so the AnalysisRun fails to resolve it`,
                name === undefined
                  ? 'only {{args.<name>}} is substituted'
                  : `declare arg "${name}" in spec.args`,
              ),
            );
        }
      } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
      else if (typeof value === 'object' && value !== null)
        for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(spec.metrics, ['spec', 'metrics']);
    return findings;
  });
}
