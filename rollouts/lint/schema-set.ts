// Validation of objects against their kind's schema: CRD kinds with ajv over the upstream OpenAPI v3 schemas (from
// the committed extract, or straight from a folder of upstream CRDs), core kinds with the kubernetes-models package.
//
// Kubernetes' structural-schema extensions are honoured: x-kubernetes-int-or-string accepts an integer or a string,
// x-kubernetes-preserve-unknown-fields leaves an object open, and every other object with `properties` is closed
// (additionalProperties: false), as `kubectl apply` (strict field validation) refuses unknown fields.
// x-kubernetes-validations (CEL) are not evaluated.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { coreValidator } from './core-schemas.js';
import { toProblems, type SchemaProblem } from './schema-problems.js';
import { EXTRACTED_FILE, extractSchemas, type ExtractedSchemas } from './schemas/extract.js';

export type { SchemaProblem };

export interface SchemaSet {
  /** Where the CRD schemas came from, for messages. */
  readonly origin: string;
  /** Whether the kind has a schema here. */
  has(apiVersion: string, kind: string): boolean;
  /** Problems of the object; undefined when there is no schema for its kind. */
  validate(object: Readonly<Record<string, unknown>>): SchemaProblem[] | undefined;
}

let packaged: SchemaSet | undefined;

/** The schemas committed with the project (rollouts/lint/schemas/crd-schemas.json), compiled once per process. */
export function packagedSchemaSet(): SchemaSet {
  if (packaged === undefined) {
    const extracted = JSON.parse(readFileSync(EXTRACTED_FILE, 'utf8')) as ExtractedSchemas;
    packaged = schemaSetOf(extracted, 'the packaged CRD schemas');
  }
  return packaged;
}

/** The schemas read straight from a folder of upstream CRD files. */
export function crdFolderSchemaSet(folder: string): SchemaSet {
  return schemaSetOf(extractSchemas(folder), `the CRDs in ${folder}`);
}

function schemaSetOf(extracted: ExtractedSchemas, origin: string): SchemaSet {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    unicodeRegExp: false,
    // The CRD schemas are large; ajv's code optimisation costs more time than it saves on a few objects.
    code: { optimize: false },
  });
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    schemaType: 'boolean',
    validate: (enabled: boolean, data: unknown) =>
      !enabled || typeof data === 'string' || (typeof data === 'number' && Number.isInteger(data)),
    errors: false,
  });
  const compiled = new Map<string, ValidateFunction>();
  const schemaFor = (key: string): unknown =>
    extracted.schemas[key] ?? extracted.schemas[extracted.aliases[key] ?? ''];
  const validatorFor = (requested: string): ValidateFunction | undefined => {
    const key = extracted.aliases[requested] ?? requested;
    const existing = compiled.get(key);
    if (existing !== undefined) return existing;
    const schema = schemaFor(key);
    if (schema === undefined) return undefined;
    const fn = ajv.compile(closeObjects(withTypeMeta(schema)) as object);
    compiled.set(key, fn);
    return fn;
  };
  const crdKey = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`;
  return {
    origin,
    has: (apiVersion, kind) =>
      schemaFor(crdKey(apiVersion, kind)) !== undefined || coreValidator(apiVersion, kind) !== undefined,
    validate: (object) => {
      const apiVersion = String(object.apiVersion ?? '');
      const kind = String(object.kind ?? '');
      const fn = validatorFor(crdKey(apiVersion, kind));
      if (fn !== undefined) return fn(object) ? [] : toProblems(fn.errors ?? []);
      const core = coreValidator(apiVersion, kind);
      return core === undefined ? undefined : core(object);
    },
  };
}

/** The API server accepts apiVersion, kind and metadata on every object, whether the CRD schema lists them or not. */
function withTypeMeta(schema: unknown): unknown {
  const root = schema as { properties?: Record<string, unknown> };
  return {
    ...root,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...root.properties,
    },
  };
}

/** Adds additionalProperties: false to every object schema with properties that does not preserve unknown fields. */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const node = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeObjects(v)]));
    } else if (key === 'enum' || key === 'default' || key === 'example') out[key] = value;
    else out[key] = closeObjects(value);
  }
  if (
    node.properties !== undefined &&
    node.additionalProperties === undefined &&
    node['x-kubernetes-preserve-unknown-fields'] !== true
  )
    out.additionalProperties = false;
  if (node['x-kubernetes-int-or-string'] === true) delete out.anyOf;
  return out;
}
