// Args as Argo Rollouts fills them when it creates an AnalysisRun (argo-rollouts v1.9.1 utils/analysis MergeArgs and
// utils/template ResolveQuotedArgs): the Rollout's values override the template's defaults, an arg left with no
// value is an error, secretKeyRef args are read from Secrets, then the metric is written as JSON and every
// `{{args.name}}` (spaces inside the braces allowed) is replaced by the value escaped for a JSON string; a tag with no
// value is an error. Exposed so tests can build the exact URL and body Argo would send.
import type { AnalysisTemplateManifest, MetricSpec } from './types.js';

export class ArgResolutionError extends Error {
  override readonly name = 'ArgResolutionError';
}

/** Secret values by Secret name, then key. */
export type SecretValues = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The value of every arg after merging the Rollout's values into the template's args. */
export function mergeArgs(
  template: Pick<AnalysisTemplateManifest, 'spec'>,
  values: Readonly<Record<string, string>>,
  secrets: SecretValues = {},
): Map<string, string> {
  const merged = new Map<string, string>();
  for (const a of template.spec.args) {
    const given = values[a.name];
    if (given !== undefined) merged.set(a.name, given);
    else if (a.value !== undefined) merged.set(a.name, a.value);
    else if (a.valueFrom?.secretKeyRef !== undefined) {
      const { name, key } = a.valueFrom.secretKeyRef;
      const secret = secrets[name]?.[key];
      if (secret === undefined)
        throw new ArgResolutionError(
          `args.${a.name}: secret ${name} has no key ${key} in the run's namespace`,
        );
      merged.set(a.name, secret);
    } else throw new ArgResolutionError(`args.${a.name} was not resolved`);
  }
  return merged;
}

const TAG = /\{\{([^}]*)\}\}/g;

/** Replaces every `{{args.x}}` in text; `quoted` escapes values for the inside of a JSON string. */
export function substituteArgs(text: string, args: ReadonlyMap<string, string>, quoted = false): string {
  return text.replace(TAG, (_match, tag: string) => {
    const cleaned = tag.trim();
    const name = cleaned.startsWith('args.') ? cleaned.slice('args.'.length) : undefined;
    const value = name === undefined ? undefined : args.get(name);
    if (value === undefined) throw new ArgResolutionError(`failed to resolve {{${tag}}}`);
    return quoted ? JSON.stringify(value).slice(1, -1) : value;
  });
}

/** The template's metrics with every arg filled in, as the AnalysisRun would hold them. */
export function fillTemplateArgs(
  template: Pick<AnalysisTemplateManifest, 'spec'>,
  values: Readonly<Record<string, string>>,
  secrets: SecretValues = {},
): MetricSpec[] {
  const args = mergeArgs(template, values, secrets);
  return template.spec.metrics.map(
    (metric) => JSON.parse(substituteArgs(JSON.stringify(metric), args, true)) as MetricSpec,
  );
}

export interface WebRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body of a jsonBody metric. */
  readonly body?: string;
}

/** The request Argo's web provider sends for a filled-in metric (Content-Type is set for a jsonBody). */
export function webRequestOf(metric: MetricSpec): WebRequest {
  if (!('web' in metric.provider))
    throw new ArgResolutionError(`metric ${metric.name} does not use the web provider`);
  const web = metric.provider.web;
  const headers: Record<string, string> = {};
  for (const h of web.headers ?? []) headers[h.key] = h.value;
  if (web.jsonBody !== undefined) headers['Content-Type'] = 'application/json';
  return {
    method: web.method ?? 'GET',
    url: web.url,
    headers,
    ...(web.jsonBody !== undefined ? { body: JSON.stringify(web.jsonBody) } : {}),
  };
}
