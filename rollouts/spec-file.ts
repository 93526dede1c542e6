// The generator's spec file (YAML): its JSON Schema (ajv), loading with line numbers, and the mapping to typed props.
// Every problem names the file, the line and the field: `spec.yaml:7:3: steps.weights[1]: weights must rise ...`.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { RolloutSpecError, type SpecProblem } from './problems.js';
import { gatewayApi, istio, nginx, type Routing } from './routing/index.js';
import type { RolloutOptions } from './types.js';

const STRING = { type: 'string', minLength: 1 } as const;
const LABELS = { type: 'object', additionalProperties: { type: 'string' } } as const;
const HEADER_ROUTE = {
  type: 'object',
  properties: { header: STRING, value: STRING, match: { enum: ['exact', 'prefix', 'regex'] } },
  required: ['header', 'value'],
  additionalProperties: false,
} as const;

export const SPEC_SCHEMA = {
  type: 'object',
  properties: {
    name: STRING,
    namespace: STRING,
    model: STRING,
    servedModelName: STRING,
    image: STRING,
    vllmArgs: { type: 'array', items: { type: 'string' } },
    replicas: { type: 'integer' },
    resources: {
      type: 'object',
      properties: { gpus: { type: 'integer' }, cpu: STRING, memory: STRING, shm: STRING },
      additionalProperties: false,
    },
    router: { enum: ['gateway-api', 'nginx', 'istio'] },
    headerRoute: HEADER_ROUTE,
    gatewayApi: {
      type: 'object',
      properties: {
        gateway: {
          type: 'object',
          properties: { name: STRING, namespace: STRING, sectionName: STRING },
          required: ['name'],
          additionalProperties: false,
        },
        hostnames: { type: 'array', items: STRING },
        pathPrefix: STRING,
        installPlugin: { type: 'boolean' },
        pluginVersion: STRING,
        pluginArch: { enum: ['linux-amd64', 'linux-arm64'] },
        controller: {
          type: 'object',
          properties: { namespace: STRING, serviceAccount: STRING },
          additionalProperties: false,
        },
      },
      required: ['gateway'],
      additionalProperties: false,
    },
    nginx: {
      type: 'object',
      properties: { host: STRING, ingressClassName: STRING, path: STRING, annotations: LABELS },
      required: ['host'],
      additionalProperties: false,
    },
    istio: {
      type: 'object',
      properties: {
        mode: { enum: ['subset', 'host'] },
        gateways: { type: 'array', items: STRING },
        hosts: { type: 'array', items: STRING },
        mirror: {
          type: 'object',
          properties: { percentage: { type: 'integer' }, duration: STRING },
          required: ['percentage'],
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    steps: {
      type: 'object',
      properties: {
        weights: { type: 'array', items: { type: 'integer' } },
        pause: STRING,
        manualGate: { type: 'boolean' },
      },
      additionalProperties: false,
    },
    analysis: {
      type: 'object',
      properties: {
        mode: { enum: ['inline', 'background', 'none'] },
        templates: { type: 'array', items: STRING },
        clusterScope: { type: 'boolean' },
        startingStep: { type: 'integer' },
        args: { type: 'object', additionalProperties: { type: 'string' } },
      },
      additionalProperties: false,
    },
    podMonitor: {
      type: 'object',
      properties: { enabled: { type: 'boolean' }, labels: LABELS, interval: STRING },
      additionalProperties: false,
    },
  },
  required: ['name', 'namespace', 'model', 'image', 'router'],
  additionalProperties: false,
  allOf: [
    { if: { properties: { router: { const: 'gateway-api' } } }, then: { required: ['gatewayApi'] } },
    { if: { properties: { router: { const: 'nginx' } } }, then: { required: ['nginx'] } },
  ],
} as const;

/** The spec file's content, as the schema describes it. */
export interface SpecFile {
  readonly name: string;
  readonly namespace: string;
  readonly model: string;
  readonly servedModelName?: string;
  readonly image: string;
  readonly vllmArgs?: readonly string[];
  readonly replicas?: number;
  readonly resources?: RolloutOptions['resources'];
  readonly router: 'gateway-api' | 'nginx' | 'istio';
  readonly headerRoute?: { header: string; value: string; match?: 'exact' | 'prefix' | 'regex' };
  readonly gatewayApi?: Parameters<typeof gatewayApi>[0];
  readonly nginx?: Omit<Parameters<typeof nginx>[0], 'headerRoute'>;
  readonly istio?: Omit<Parameters<typeof istio>[0], 'headerRoute'>;
  readonly steps?: RolloutOptions['steps'];
  readonly analysis?: RolloutOptions['analysis'];
  readonly podMonitor?: RolloutOptions['podMonitor'];
}

const validateSpec = new Ajv({
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
}).compile(SPEC_SCHEMA);

/** Problems of a parsed spec against the schema, plus router sections that do not match the router. */
export function specSchemaProblems(spec: unknown): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (!validateSpec(spec)) problems.push(...(validateSpec.errors ?? []).filter(meaningful).map(toProblem));
  if (typeof spec === 'object' && spec !== null) {
    const s = spec as Record<string, unknown>;
    const sections: [string, string][] = [
      ['gatewayApi', 'gateway-api'],
      ['nginx', 'nginx'],
      ['istio', 'istio'],
    ];
    for (const [section, router] of sections)
      if (s[section] !== undefined && s.router !== undefined && s.router !== router)
        problems.push({
          path: section,
          message: `applies only to router ${router}, but router is ${String(s.router)}`,
        });
  }
  return problems;
}

/** Typed props from a valid spec. */
export function specToOptions(spec: SpecFile): RolloutOptions {
  const headerRoute = spec.headerRoute;
  let routing: Routing;
  if (spec.router === 'gateway-api') {
    if (spec.gatewayApi === undefined)
      throw new RolloutSpecError([{ path: 'gatewayApi', message: 'is required' }]);
    routing = gatewayApi({ ...spec.gatewayApi, ...(headerRoute !== undefined ? { headerRoute } : {}) });
  } else if (spec.router === 'nginx') {
    if (spec.nginx === undefined) throw new RolloutSpecError([{ path: 'nginx', message: 'is required' }]);
    routing = nginx({ ...spec.nginx, ...(headerRoute !== undefined ? { headerRoute } : {}) });
  } else {
    routing = istio({ ...(spec.istio ?? {}), ...(headerRoute !== undefined ? { headerRoute } : {}) });
  }
  const { router: _router, headerRoute: _h, gatewayApi: _g, nginx: _n, istio: _i, ...rest } = spec;
  return { ...rest, routing };
}

export interface LoadedSpec {
  readonly spec: SpecFile;
  readonly file: string;
  /** `file:line:col` of a spec path such as `steps.weights[1]` (the closest existing parent when absent). */
  locate(path: string): string;
}

export interface ReadSpec {
  /** The parsed YAML, not yet validated. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly file: string;
  /** `file:line:col` of a spec path such as `steps.weights[1]` (the closest existing parent when absent). */
  locate(path: string): string;
}

/** Parses a spec file without validating it (the CLI merges flags in first); YAML errors name file and line. */
export function readSpecFile(file: string, text?: string): ReadSpec {
  let content: string;
  try {
    content = text ?? readFileSync(file, 'utf8');
  } catch (error) {
    throw new SpecFileError([`${file}: cannot be read: ${(error as Error).message}`]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw new SpecFileError([`${file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`]);
  }
  const data: unknown = doc.toJS();
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new SpecFileError([`${file}:1:1: the spec must be a mapping (name: ..., router: ...)`]);
  return {
    data: data as Record<string, unknown>,
    file,
    locate: (path) => `${file}:${positionOf(doc, lineCounter, path)}`,
  };
}

/** Reads and validates a spec file; throws SpecFileError whose lines name the file, line and field. */
export function loadSpecFile(file: string, text?: string): LoadedSpec {
  const read = readSpecFile(file, text);
  const problems = specSchemaProblems(read.data);
  if (problems.length > 0)
    throw new SpecFileError(problems.map((p) => `${read.locate(p.path)}: ${p.path}: ${p.message}`));
  return { spec: read.data as unknown as SpecFile, file, locate: read.locate };
}

export class SpecFileError extends Error {
  override readonly name = 'SpecFileError';
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

/** `steps.weights[1]` -> ['steps', 'weights', 1]. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[]*)((\[\d+\])*)$/.exec(part);
    if (match === null) {
      segments.push(part);
      continue;
    }
    if (match[1] !== '') segments.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

function positionOf(doc: Document, lineCounter: LineCounter, path: string): string {
  const pos = lineCounter.linePos(startOf(doc, pathSegments(path)));
  return `${pos.line}:${pos.col}`;
}

/** Where a path starts in the document: a map entry's key, an array item, or the closest existing parent. */
export function startOf(doc: Document, segments: readonly (string | number)[]): number {
  for (let n = segments.length; n > 0; n--) {
    const last = segments[n - 1];
    const parent = n === 1 ? doc.contents : doc.getIn(segments.slice(0, n - 1), true);
    if (typeof last === 'string' && isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
      if (pair !== undefined && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
    const node = doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return isNode(doc.contents) && doc.contents.range ? doc.contents.range[0] : 0;
}

/** ajv's `if` keyword adds an error of its own next to the real one. */
function meaningful(e: ErrorObject): boolean {
  return e.keyword !== 'if';
}

function toProblem(e: ErrorObject): SpecProblem {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = parts.reduce(
    (acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`),
    '',
  );
  const params = e.params as Record<string, unknown>;
  const at = (child: string) => (path === '' ? child : `${path}.${child}`);
  switch (e.keyword) {
    case 'required':
      return { path: at(String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { path: at(String(params.additionalProperty)), message: 'is not a known field' };
    case 'enum':
      return {
        path: path || '(root)',
        message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}`,
      };
    case 'type':
      return { path: path || '(root)', message: `must be ${String(params.type)}` };
    default:
      return { path: path || '(root)', message: e.message ?? 'is invalid' };
  }
}
