// Loads the provider's configuration: a YAML file (optional), then VLLM_CANARY_* environment variables, then flags,
// each overriding single fields; then validation against the schema with every problem reported at once, naming
// the file, line and field where the value came from a file.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { CONFIG_SCHEMA, type ProviderConfig } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Single-field overrides, from flags or the environment. */
export interface ConfigOverrides {
  readonly prometheusUrl?: string;
  readonly host?: string;
  readonly port?: number;
  readonly logLevel?: string;
  readonly tokenFile?: string;
  readonly deadlineSeconds?: number;
  readonly workers?: number;
}

const ENV_OVERRIDES: Record<string, keyof ConfigOverrides> = {
  VLLM_CANARY_PROMETHEUS_URL: 'prometheusUrl',
  VLLM_CANARY_HOST: 'host',
  VLLM_CANARY_PORT: 'port',
  VLLM_CANARY_LOG_LEVEL: 'logLevel',
  VLLM_CANARY_API_TOKEN_FILE: 'tokenFile',
  VLLM_CANARY_DEADLINE_SECONDS: 'deadlineSeconds',
  VLLM_CANARY_WORKERS: 'workers',
};
const NUMERIC = new Set<keyof ConfigOverrides>(['port', 'deadlineSeconds', 'workers']);

export function overridesFromEnv(env: NodeJS.ProcessEnv): ConfigOverrides {
  const out: Record<string, string | number> = {};
  for (const [name, key] of Object.entries(ENV_OVERRIDES)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    out[key] = NUMERIC.has(key) ? Number(raw) : raw;
  }
  return out as ConfigOverrides;
}

const validate = new Ajv({ allErrors: true, useDefaults: true, strict: false }).compile(CONFIG_SCHEMA);

/** Loads, merges and validates; throws ConfigError listing every problem. */
export function loadConfig(
  file: string | undefined,
  ...overrides: readonly ConfigOverrides[]
): ProviderConfig {
  let document: Document | undefined;
  let lines: LineCounter | undefined;
  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError([
        `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      ]);
    }
    lines = new LineCounter();
    document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    if (document.errors.length > 0) {
      throw new ConfigError(
        document.errors.map((e) => `${file}:${lines!.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`),
      );
    }
    let value: unknown;
    try {
      value = document.toJS();
    } catch (error) {
      // Aliases the parser accepted but cannot resolve (`*a` before `&a`, or too many of them).
      throw new ConfigError([
        `${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      ]);
    }
    if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      throw new ConfigError([`${file}:1: the configuration must be a mapping of fields`]);
    }
    raw = (value ?? {}) as Record<string, unknown>;
  }
  for (const o of overrides) raw = applyOverrides(raw, o);
  return validated(raw, file, document, lines);
}

/** Validates a configuration built in code (the demo, tests) and fills its defaults, as a file's would be. */
export function configFrom(raw: Record<string, unknown>): ProviderConfig {
  return validated(structuredClone(raw), undefined);
}

function validated(
  raw: Record<string, unknown>,
  file: string | undefined,
  document?: Document,
  lines?: LineCounter,
): ProviderConfig {
  if (!validate(raw)) {
    // `if`/`then` errors only repeat what the branch's own errors say.
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
    throw new ConfigError(errors.map((e) => describe(e, file, document, lines)));
  }
  const config = raw as unknown as ProviderConfig;
  const where =
    file === undefined ? 'configuration' : `${file}${lineOf(['server', 'workers'], document, lines)}`;
  if (config.server.workers > 1 && config.source.type === 'scrape') {
    // Every worker would scrape every pod and keep its own history: twice the load on the pods for nothing.
    throw new ConfigError([
      `${where}: server.workers must be 1 with source.type: scrape (the scrape source keeps its history in one process; use the Prometheus source to run several workers)`,
    ]);
  }
  return config;
}

function applyOverrides(config: Record<string, unknown>, o: ConfigOverrides): Record<string, unknown> {
  const next = structuredClone(config);
  const section = (name: string): Record<string, unknown> => {
    const existing = next[name];
    if (typeof existing === 'object' && existing !== null && !Array.isArray(existing))
      return existing as Record<string, unknown>;
    return (next[name] = {}) as Record<string, unknown>;
  };
  if (o.prometheusUrl !== undefined) {
    const source = section('source');
    const prometheus =
      source.type === 'prometheus' && typeof source.prometheus === 'object' ? source.prometheus : {};
    next.source = { type: 'prometheus', prometheus: { ...(prometheus as object), url: o.prometheusUrl } };
  }
  if (o.host !== undefined) section('server').host = o.host;
  if (o.port !== undefined) section('server').port = o.port;
  if (o.deadlineSeconds !== undefined) section('server').deadlineSeconds = o.deadlineSeconds;
  if (o.workers !== undefined) section('server').workers = o.workers;
  if (o.tokenFile !== undefined) section('auth').tokenFile = o.tokenFile;
  if (o.logLevel !== undefined) next.logLevel = o.logLevel;
  return next;
}

function describe(
  error: ErrorObject,
  file: string | undefined,
  document?: Document,
  lines?: LineCounter,
): string {
  const segments = error.instancePath.split('/').slice(1);
  const p = error.params as Record<string, unknown>;
  let field = segments.join('.') || '(top level)';
  let message = error.message ?? 'is invalid';
  let located = segments;
  if (error.keyword === 'additionalProperties') {
    located = [...segments, String(p.additionalProperty)];
    field = located.join('.');
    message = 'is not a known field';
  } else if (error.keyword === 'required') {
    field = [...segments, String(p.missingProperty)].join('.');
    message = 'is required';
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
  }
  const where = file === undefined ? 'configuration' : `${file}${lineOf(located, document, lines)}`;
  return `${where}: ${field} ${message}`;
}

function lineOf(path: readonly string[], document?: Document, lines?: LineCounter): string {
  if (document === undefined || lines === undefined) return '';
  let node: unknown = document.contents;
  let line = '';
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String((item.key as { value?: unknown })?.value ?? item.key) === key,
      );
      node = pair?.value;
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range !== undefined) line = `:${lines.linePos(range[0]).line}`;
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range !== undefined) line = `:${lines.linePos(range[0]).line}`;
    } else break;
  }
  return line;
}
