// What every lint rule sees: the objects, the schemas, and template lookup (given files first, then the library).
import { renderTemplates, type AnalysisTemplateManifest } from '../../analysis-templates/index.js';
import type { Finding } from './findings.js';
import type { LintObject } from './load.js';
import type { SchemaSet } from './schema-set.js';

export interface TemplateRef {
  readonly templateName?: unknown;
  readonly clusterScope?: unknown;
}

export interface FoundTemplate {
  readonly manifest: Pick<AnalysisTemplateManifest, 'kind' | 'metadata' | 'spec'>;
  /** The file object, when the template came from a given file. */
  readonly object?: LintObject;
}

export interface LintContext {
  readonly objects: readonly LintObject[];
  readonly schemas: SchemaSet;
  /** A template a Rollout in `namespace` references, or undefined. */
  findTemplate(ref: TemplateRef, namespace: string | undefined): FoundTemplate | undefined;
  /** Names of the library's templates, for fix messages. */
  readonly libraryNames: readonly string[];
}

export type Rule = (ctx: LintContext) => Finding[];

export function createContext(objects: readonly LintObject[], schemas: SchemaSet): LintContext {
  const library = [...renderTemplates({ clusterScope: true }), ...renderTemplates({ clusterScope: false })];
  const findTemplate = (ref: TemplateRef, namespace: string | undefined): FoundTemplate | undefined => {
    const name = ref.templateName;
    if (typeof name !== 'string') return undefined;
    const kind = ref.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
    const fromFile = objects.find((o) => {
      const m = metadataOf(o.object);
      return (
        o.object.kind === kind &&
        m.name === name &&
        (kind === 'ClusterAnalysisTemplate' || m.namespace === undefined || m.namespace === namespace)
      );
    });
    if (fromFile !== undefined)
      return { manifest: fromFile.object as unknown as FoundTemplate['manifest'], object: fromFile };
    const fromLibrary = library.find((t) => t.kind === kind && t.metadata.name === name);
    return fromLibrary === undefined ? undefined : { manifest: fromLibrary };
  };
  return {
    objects,
    schemas,
    findTemplate,
    libraryNames: [...new Set(library.map((t) => t.metadata.name))],
  };
}

export function metadataOf(object: Readonly<Record<string, unknown>>): {
  name?: string;
  namespace?: string;
  labels?: Record<string, unknown>;
} {
  const m = object.metadata;
  if (typeof m !== 'object' || m === null) return {};
  const r = m as Record<string, unknown>;
  return {
    ...(typeof r.name === 'string' ? { name: r.name } : {}),
    ...(typeof r.namespace === 'string' ? { namespace: r.namespace } : {}),
    ...(typeof r.labels === 'object' && r.labels !== null
      ? { labels: r.labels as Record<string, unknown> }
      : {}),
  };
}

/** A nested value by path, or undefined. */
export function get(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const p of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[p];
  }
  return current;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function isKind(o: LintObject, ...kinds: string[]): boolean {
  return kinds.includes(String(o.object.kind));
}

/** Rollouts with a canary strategy. */
export function rollouts(ctx: LintContext): LintObject[] {
  return ctx.objects.filter(
    (o) => o.object.kind === 'Rollout' && String(o.object.apiVersion).startsWith('argoproj.io/'),
  );
}

export const CANARY = ['spec', 'strategy', 'canary'] as const;
