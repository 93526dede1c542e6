// Where templates come from: YAML files (one or several documents; AnalysisTemplate and ClusterAnalysisTemplate
// documents are taken, others ignored) or the project's template library by name (vllm-latency, ...).
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { renderTemplates, templateNames } from '../analysis-templates/index.js';
import type { AnalysisTemplate } from './types.js';

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const KINDS = new Set(['AnalysisTemplate', 'ClusterAnalysisTemplate']);

/** Every AnalysisTemplate / ClusterAnalysisTemplate in a YAML text. */
export function parseTemplates(text: string, origin: string): AnalysisTemplate[] {
  const found: AnalysisTemplate[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0)
      throw new TemplateError(`${origin}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || !KINDS.has(String((value as { kind?: unknown }).kind))) continue;
    found.push(checkShape(value as Record<string, unknown>, origin));
  }
  if (found.length === 0)
    throw new TemplateError(`${origin}: no AnalysisTemplate or ClusterAnalysisTemplate in it`);
  return found;
}

function checkShape(doc: Record<string, unknown>, origin: string): AnalysisTemplate {
  const where = `${origin}: ${String(doc.kind)}`;
  if (doc.apiVersion !== 'argoproj.io/v1alpha1')
    throw new TemplateError(
      `${where}: apiVersion must be argoproj.io/v1alpha1, got ${JSON.stringify(doc.apiVersion)}`,
    );
  const spec = doc.spec as { metrics?: unknown; args?: unknown; dryRun?: unknown } | undefined;
  if (spec === undefined || !Array.isArray(spec.metrics))
    throw new TemplateError(`${where}: spec.metrics must be a list`);
  for (const [i, m] of spec.metrics.entries()) {
    if (typeof m !== 'object' || m === null || typeof (m as { name?: unknown }).name !== 'string')
      throw new TemplateError(`${where}: spec.metrics[${i}].name must be a string`);
    if (
      typeof (m as { provider?: unknown }).provider !== 'object' ||
      (m as { provider?: unknown }).provider === null
    )
      throw new TemplateError(`${where}: spec.metrics[${i}].provider must be an object`);
  }
  if (spec.args !== undefined && !Array.isArray(spec.args))
    throw new TemplateError(`${where}: spec.args must be a list`);
  if (spec.dryRun !== undefined && !Array.isArray(spec.dryRun))
    throw new TemplateError(`${where}: spec.dryRun must be a list`);
  return doc as unknown as AnalysisTemplate;
}

/** The names of the library's templates (what `--template <name>` accepts). */
export function libraryTemplateNames(): string[] {
  return templateNames();
}

/** A library template, rendered as the ClusterAnalysisTemplate the Helm chart installs. */
export function libraryTemplate(name: string): AnalysisTemplate {
  const manifest = renderTemplates({ clusterScope: true }).find((t) => t.metadata.name === name);
  if (manifest === undefined)
    throw new TemplateError(
      `no template named ${name} in the library; it has: ${libraryTemplateNames().join(', ')}`,
    );
  return JSON.parse(JSON.stringify(manifest)) as AnalysisTemplate;
}

/** `--template` takes a YAML file, or the name of a library template when no such file exists. */
export function loadTemplates(reference: string): AnalysisTemplate[] {
  if (existsSync(reference)) return parseTemplates(readFileSync(reference, 'utf8'), reference);
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(reference) && libraryTemplateNames().includes(reference))
    return [libraryTemplate(reference)];
  throw new TemplateError(
    `--template ${reference}: no such file, and no library template of that name (library: ${libraryTemplateNames().join(', ')})`,
  );
}
