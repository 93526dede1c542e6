// Rules about the analyses a Rollout runs: every referenced template exists (given files or the library) and gets
// its required args; templates referenced together merge (Argo refuses differing defaults and repeated metric
// names); inline analysis ends (every metric has a count); background analysis starts at an existing step.
import { finding, type Finding } from '../findings.js';
import {
  asArray,
  asRecord,
  CANARY,
  get,
  metadataOf,
  rollouts,
  type FoundTemplate,
  type LintContext,
} from '../context.js';
import type { LintObject } from '../load.js';

interface AnalysisUse {
  readonly path: (string | number)[];
  readonly analysis: Record<string, unknown>;
  readonly inline: boolean;
}

function uses(o: LintObject): AnalysisUse[] {
  const canary = asRecord(get(o.object, CANARY));
  const found: AnalysisUse[] = [];
  if (canary.analysis !== undefined)
    found.push({ path: [...CANARY, 'analysis'], analysis: asRecord(canary.analysis), inline: false });
  asArray(canary.steps).forEach((step, i) => {
    const analysis = asRecord(step).analysis;
    if (analysis !== undefined)
      found.push({ path: [...CANARY, 'steps', i, 'analysis'], analysis: asRecord(analysis), inline: true });
  });
  return found;
}

interface Resolved {
  readonly index: number;
  readonly name: string;
  readonly template: FoundTemplate;
}

function resolve(ctx: LintContext, o: LintObject, use: AnalysisUse, findings: Finding[]): Resolved[] {
  const namespace = metadataOf(o.object).namespace;
  const resolved: Resolved[] = [];
  const refs = asArray(use.analysis.templates);
  if (refs.length === 0)
    findings.push(
      finding(
        o,
        'template-ref',
        [...use.path, 'templates'],
        'names no template',
        'list at least one {templateName, clusterScope: true}',
      ),
    );
  refs.forEach((ref, index) => {
    const r = asRecord(ref);
    const name = r.templateName;
    const template = ctx.findTemplate(r, namespace);
    if (typeof name !== 'string') {
      findings.push(
        finding(
          o,
          'template-ref',
          [...use.path, 'templates', index],
          'has no templateName',
          'set templateName',
        ),
      );
      return;
    }
    if (template === undefined) {
      const kind = r.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      const other = ctx.findTemplate(
        { templateName: name, clusterScope: r.clusterScope !== true },
        namespace,
      );
      findings.push(
        finding(
          o,
          'template-ref',
          [...use.path, 'templates', index, 'templateName'],
          `${kind} "${name}" is neither in the given files nor in the library`,
          other !== undefined
            ? `it exists as a ${r.clusterScope === true ? 'namespaced AnalysisTemplate' : 'ClusterAnalysisTemplate'}: ${r.clusterScope === true ? 'drop' : 'set'} clusterScope: true`
            : `use one of ${ctx.libraryNames.join(', ')} or pass the file that defines it`,
        ),
      );
      return;
    }
    resolved.push({ index, name, template });
  });
  return resolved;
}

/** `template-ref`, `template-merge`, `template-args`, `inline-count`. */
export function analysisRule(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const o of rollouts(ctx)) {
    for (const use of uses(o)) {
      const resolved = resolve(ctx, o, use, findings);
      const merged = new Map<string, { value?: string; hasValueFrom: boolean; from: string }>();
      const metricNames = new Map<string, string>();
      for (const { name, template, index } of resolved) {
        for (const a of template.manifest.spec.args ?? []) {
          const prev = merged.get(a.name);
          if (prev?.value !== undefined && a.value !== undefined && prev.value !== a.value)
            findings.push(
              finding(
                o,
                'template-merge',
                [...use.path, 'templates', index],
                `arg "${a.name}" defaults to "${prev.value}" in ${prev.from} but "${a.value}" in ${name}: Argo refuses the merge`,
                'run these templates in separate analyses, or give the args distinct names',
              ),
            );
          if (prev === undefined || prev.value === undefined)
            merged.set(a.name, { value: a.value, hasValueFrom: a.valueFrom !== undefined, from: name });
        }
        for (const m of template.manifest.spec.metrics ?? []) {
          const owner = metricNames.get(m.name);
          if (owner !== undefined)
            findings.push(
              finding(
                o,
                'template-merge',
                [...use.path, 'templates', index],
                `metric "${m.name}" is in both ${owner} and ${name}: Argo refuses two metrics with the same name`,
                'reference each template once and rename repeated metrics',
              ),
            );
          else metricNames.set(m.name, name);
          if (use.inline && runsForever(m))
            findings.push(
              finding(
                o,
                'inline-count',
                [...use.path, 'templates', index],
                `metric "${m.name}" of ${name} has an interval and no count, so the blocking analysis step never ends`,
                'set count on the metric, or run the template as background analysis (strategy.canary.analysis)',
              ),
            );
        }
      }
      const given = new Map<string, { index: number; arg: Record<string, unknown> }>();
      asArray(use.analysis.args).forEach((a, index) => {
        const arg = asRecord(a);
        if (typeof arg.name === 'string') given.set(arg.name, { index, arg });
        const from = asRecord(arg.valueFrom);
        if (arg.value === undefined && arg.valueFrom === undefined)
          findings.push(
            finding(
              o,
              'template-args',
              [...use.path, 'args', index],
              'has neither value nor valueFrom',
              'give it a value',
            ),
          );
        if (
          from.podTemplateHashValue !== undefined &&
          !['Latest', 'Stable'].includes(String(from.podTemplateHashValue))
        )
          findings.push(
            finding(
              o,
              'template-args',
              [...use.path, 'args', index, 'valueFrom', 'podTemplateHashValue'],
              `"${String(from.podTemplateHashValue)}" is not Latest or Stable`,
              'use Latest for the canary, Stable for the stable version',
            ),
          );
        if (typeof arg.name === 'string' && resolved.length === refsLength(use) && !merged.has(arg.name))
          findings.push(
            finding(
              o,
              'template-args',
              [...use.path, 'args', index, 'name'],
              `"${arg.name}" is not an arg of ${resolved.map((r) => r.name).join(', ')}, so Argo ignores it`,
              "check the spelling against the templates' args",
              'warning',
            ),
          );
      });
      for (const [name, arg] of merged) {
        if (arg.value === undefined && !arg.hasValueFrom && !given.has(name))
          findings.push(
            finding(
              o,
              'template-args',
              [...use.path, 'args'],
              `template ${arg.from} needs arg "${name}" and the Rollout does not pass it`,
              `add {name: ${name}, ${requiredArgHint(name)}}`,
            ),
          );
      }
    }
  }
  return findings;
}

function refsLength(use: AnalysisUse): number {
  return asArray(use.analysis.templates).length;
}

function requiredArgHint(name: string): string {
  if (name === 'canary-hash') return 'valueFrom: {podTemplateHashValue: Latest}';
  if (name === 'stable-hash') return 'valueFrom: {podTemplateHashValue: Stable}';
  return 'value: ...';
}

function runsForever(metric: { count?: unknown; interval?: unknown }): boolean {
  return metric.count === undefined && typeof metric.interval === 'string' && metric.interval !== '';
}

/** `analysis-starting-step`: background analysis starts at a step the Rollout has. */
export function startingStepRule(ctx: LintContext): Finding[] {
  return rollouts(ctx).flatMap((o) => {
    const canary = asRecord(get(o.object, CANARY));
    const start = asRecord(canary.analysis).startingStep;
    const steps = asArray(canary.steps).length;
    if (typeof start !== 'number' || (start >= 0 && start < Math.max(steps, 1))) return [];
    return [
      finding(
        o,
        'analysis-starting-step',
        [...CANARY, 'analysis', 'startingStep'],
        `step ${start} does not exist (the Rollout has ${steps} steps), so the background analysis never starts`,
        `use a step index from 0 to ${Math.max(steps - 1, 0)}`,
      ),
    ];
  });
}
