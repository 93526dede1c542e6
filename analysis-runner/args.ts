// Args as Argo Rollouts fills them into an AnalysisRun (utils/analysis MergeArgs and flattenArgs,
// utils/template ResolveQuotedArgs): `--arg` values override the templates' defaults; an arg left without a value is
// an error naming it; secretKeyRef and fieldRef args cannot be read locally and must be passed with `--arg`. Then
// every metric is written as JSON, each `{{...}}` tag replaced by the value escaped for a JSON string (so
// `{{args.x}}` works in url, headers, body, jsonBody values and conditions alike) and read back.
import type { Metric, TemplateArg } from './types.js';

export class ArgError extends Error {
  override readonly name = 'ArgError';
}

export interface ResolvedArgs {
  readonly values: ReadonlyMap<string, string>;
  /** Values given for secretKeyRef args: redacted (`*****`) wherever the runner prints text, as Argo does. */
  readonly secrets: readonly string[];
}

/** Merges the args of several templates the way Argo flattens them: the same name twice must agree. */
export function flattenArgs(lists: readonly (readonly TemplateArg[])[]): TemplateArg[] {
  const byName = new Map<string, TemplateArg>();
  for (const list of lists) {
    for (const arg of list) {
      const seen = byName.get(arg.name);
      if (seen === undefined || (seen.value === undefined && seen.valueFrom === undefined))
        byName.set(arg.name, arg);
      else if (
        (arg.value !== undefined || arg.valueFrom !== undefined) &&
        JSON.stringify([seen.value, seen.valueFrom]) !== JSON.stringify([arg.value, arg.valueFrom])
      )
        throw new ArgError(`Argument \`${arg.name}\` specified multiple times with different values`);
    }
  }
  return [...byName.values()];
}

/** Fills every template arg from `given` (the `--arg name=value` flags) or its default. */
export function resolveArgs(
  templateArgs: readonly TemplateArg[],
  given: Readonly<Record<string, string>>,
): ResolvedArgs {
  const known = new Set(templateArgs.map((a) => a.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name))
      throw new ArgError(
        `--arg ${name}: the template has no arg named ${name}; its args: ${[...known].join(', ') || '(none)'}`,
      );
  }
  const values = new Map<string, string>();
  const secrets: string[] = [];
  const missing: string[] = [];
  for (const arg of templateArgs) {
    const value = given[arg.name];
    if (arg.valueFrom?.secretKeyRef !== undefined) {
      const { name, key } = arg.valueFrom.secretKeyRef;
      if (value === undefined)
        throw new ArgError(
          `args.${arg.name} comes from Secret ${name} key ${key} (valueFrom.secretKeyRef); vllm-canary analyze does ` +
            `not read Secrets: secrets need --arg locally, e.g. --arg ${arg.name}=<value>`,
        );
      if (value !== '') secrets.push(value);
    } else if (arg.valueFrom?.fieldRef !== undefined && value === undefined) {
      throw new ArgError(
        `args.${arg.name} comes from the Rollout (valueFrom.fieldRef ${arg.valueFrom.fieldRef.fieldPath}); ` +
          `pass it with --arg ${arg.name}=<value>`,
      );
    }
    const resolved = value ?? arg.value;
    if (resolved === undefined) missing.push(arg.name);
    else values.set(arg.name, resolved);
  }
  if (missing.length > 0)
    throw new ArgError(
      `args.${missing[0]} was not resolved: the template requires ${missing.map((m) => `--arg ${m}=<value>`).join(' ')}`,
    );
  return { values, secrets };
}

const TAG = /\{\{(.*?)\}\}/gs;

/** Replaces every `{{args.name}}` (spaces inside allowed); `quoted` escapes the value for inside a JSON string. */
export function substitute(text: string, values: ReadonlyMap<string, string>, quoted = false): string {
  return text.replace(TAG, (_whole, tag: string) => {
    const cleaned = tag.trim();
    const value = cleaned.startsWith('args.') ? values.get(cleaned.slice('args.'.length)) : undefined;
    if (value === undefined) throw new ArgError(`failed to resolve {{${tag}}}`);
    return quoted ? JSON.stringify(value).slice(1, -1) : value;
  });
}

/** The metric as the AnalysisRun holds it once args are resolved (analysisutil.ResolveMetricArgs). */
export function resolveMetric(metric: Metric, values: ReadonlyMap<string, string>): Metric {
  const json = substitute(JSON.stringify(metric), values, true);
  try {
    return JSON.parse(json) as Metric;
  } catch (error) {
    throw new ArgError(`metric ${metric.name}: the args make it invalid JSON (${(error as Error).message})`);
  }
}

/** Hides secret values in text meant for people. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('*****'), text);
}
