// The lint orchestrator: load -> validate each object against its schema -> the rules that schemas cannot express
// -> findings sorted by file and line.
import { createContext, type Rule } from './context.js';
import type { Finding } from './findings.js';
import { loadFiles, loadText, type LintObject, type Loaded } from './load.js';
import { analysisRule, startingStepRule } from './rules/analysis.js';
import { routeBackendsRule, servicesRule } from './rules/routes.js';
import { metadataRule, podTemplateRule, schemaRule } from './rules/schema.js';
import { headerRoutesRule, pluginConfigRule, weightsRule } from './rules/steps.js';
import {
  conditionDefaultRule,
  conditionsRule,
  metricLimitsRule,
  unresolvedArgRule,
  webProviderRule,
} from './rules/templates.js';
import { packagedSchemaSet, type SchemaSet } from './schema-set.js';

/** Every rule, in the order findings are produced. */
export const RULES: readonly { readonly id: string; readonly rule: Rule; readonly checks: string }[] = [
  {
    id: 'schema',
    rule: schemaRule,
    checks: 'each object against its kind and version schema (also unknown-kind)',
  },
  { id: 'metadata', rule: metadataRule, checks: 'names and namespaces' },
  { id: 'pod-template', rule: podTemplateRule, checks: "the Rollout's pod template and GPU resources" },
  {
    id: 'template-ref',
    rule: analysisRule,
    checks: 'referenced templates exist, merge, get their args, end inline',
  },
  {
    id: 'analysis-starting-step',
    rule: startingStepRule,
    checks: 'background analysis starts at an existing step',
  },
  { id: 'weights', rule: weightsRule, checks: 'setWeight values rise within 0..maxTrafficWeight' },
  {
    id: 'header-routes',
    rule: headerRoutesRule,
    checks: 'header and mirror routes: router support, managedRoutes',
  },
  { id: 'plugin-config', rule: pluginConfigRule, checks: 'the gatewayAPI plugin block' },
  {
    id: 'route-backends',
    rule: routeBackendsRule,
    checks: 'routes name the canary and stable Services or subsets',
  },
  { id: 'services', rule: servicesRule, checks: 'Services and selectors match the Rollout' },
  {
    id: 'conditions',
    rule: conditionsRule,
    checks: 'templates set both successCondition and failureCondition',
  },
  { id: 'condition-default', rule: conditionDefaultRule, checks: 'default(result[0], x) misuse' },
  {
    id: 'metric-limits',
    rule: metricLimitsRule,
    checks: 'count with interval, limits, durations, one provider',
  },
  { id: 'web-provider', rule: webProviderRule, checks: 'method, body, jsonPath and URL of web metrics' },
  { id: 'unresolved-arg', rule: unresolvedArgRule, checks: '{{args.x}} placeholders name declared args' },
];

export interface LintResult {
  readonly findings: readonly Finding[];
  readonly errors: number;
  readonly warnings: number;
  readonly objects: number;
}

export interface LintOptions {
  /** @default the packaged CRD schemas */
  readonly schemas?: SchemaSet;
}

export function lintObjects(objects: readonly LintObject[], options: LintOptions = {}): LintResult {
  const ctx = createContext(objects, options.schemas ?? packagedSchemaSet());
  return result(
    RULES.flatMap((r) => r.rule(ctx)),
    objects.length,
  );
}

export function lintLoaded(loaded: Loaded, options: LintOptions = {}): LintResult {
  const loadFindings: Finding[] = loaded.problems.map((p) => ({
    severity: 'error',
    rule: 'yaml',
    file: p.file,
    line: p.line,
    col: p.col,
    object: '(file)',
    path: '',
    message: p.message,
    fix: 'fix the YAML',
  }));
  const linted = lintObjects(loaded.objects, options);
  return result([...loadFindings, ...linted.findings], linted.objects);
}

export function lintFiles(files: readonly string[], options: LintOptions = {}): LintResult {
  return lintLoaded(loadFiles(files), options);
}

/** Lints YAML text given in memory (tests, the generator's self-check). */
export function lintText(file: string, text: string, options: LintOptions = {}): LintResult {
  return lintLoaded(loadText(file, text), options);
}

function result(findings: Finding[], objects: number): LintResult {
  const sorted = [...findings].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  );
  return {
    findings: sorted,
    errors: sorted.filter((f) => f.severity === 'error').length,
    warnings: sorted.filter((f) => f.severity === 'warning').length,
    objects,
  };
}
