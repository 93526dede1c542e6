// Request validation: one JSON Schema per check (common parameters + the check's own), compiled once with ajv.
// Query strings arrive as strings, so types are coerced; anything unknown, malformed or out of range is a 400 that
// names the field and what is allowed. Only validated values ever reach a query.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InvalidRequestError, type RequestProblem } from '../errors.js';
import type { CheckDefinition, CheckName, CommonParams } from './types.js';
import { WINDOW_PATTERN } from './window.js';

/** DNS-1123 label: namespaces, Service names and pod-template-hashes. */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
/** vLLM served model names, e.g. meta-llama/Llama-3.1-8B-Instruct. */
export const MODEL_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,252}$';

export const COMMON_PARAMS_SCHEMA: Readonly<Record<string, object>> = {
  namespace: { type: 'string', pattern: DNS_LABEL_PATTERN, description: 'namespace of the vLLM pods' },
  model: { type: 'string', pattern: MODEL_PATTERN, description: "vLLM's served model name" },
  canary: { type: 'string', pattern: DNS_LABEL_PATTERN, description: 'canary pod-template-hash or Service' },
  stable: { type: 'string', pattern: DNS_LABEL_PATTERN, description: 'stable pod-template-hash or Service' },
  by: { type: 'string', enum: ['pod-template-hash', 'service'], default: 'pod-template-hash' },
  window: {
    type: 'string',
    pattern: WINDOW_PATTERN,
    default: '5m',
    description: 'look-back window, 10s to 24h',
  },
  minRequests: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 50 },
  test: { type: 'boolean', default: true, description: 'compare canary with stable statistically' },
  confidence: { type: 'number', minimum: 0.5, maximum: 0.9999, default: 0.99 },
  tolerance: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
  looks: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
};

export const REQUIRED_PARAMS = ['namespace', 'model', 'canary'] as const;

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true });

export function checkSchema(definition: CheckDefinition): object {
  return {
    type: 'object',
    properties: { ...COMMON_PARAMS_SCHEMA, ...definition.paramsSchema },
    required: [...REQUIRED_PARAMS],
    additionalProperties: false,
  };
}

const validators = new Map<CheckName, ValidateFunction>();

/** Validates (and fills defaults into) a copy of the raw parameters; throws InvalidRequestError with every problem. */
export function parseCheckParams<P extends CommonParams>(
  definition: CheckDefinition<P>,
  raw: unknown,
  fieldPrefix = '',
): P {
  let validate = validators.get(definition.name);
  if (validate === undefined) {
    validate = ajv.compile(checkSchema(definition as unknown as CheckDefinition));
    validators.set(definition.name, validate);
  }
  const params: unknown = typeof raw === 'object' && raw !== null ? structuredClone(raw) : raw;
  const valid = validate(params);
  const decimalProblems = notDecimal(definition, raw, fieldPrefix);
  const flagged = new Set(decimalProblems.map((p) => p.field));
  const problems = [
    ...decimalProblems,
    ...(valid
      ? []
      : (validate.errors ?? []).map((e) => toProblem(e, fieldPrefix)).filter((p) => !flagged.has(p.field))),
  ];
  if (valid)
    problems.push(
      ...notFinite(params as Record<string, unknown>, fieldPrefix).filter((p) => !flagged.has(p.field)),
    );
  if (problems.length === 0)
    problems.push(...missingCriteria(definition, params as CommonParams, fieldPrefix));
  if (problems.length > 0) {
    throw new InvalidRequestError(
      `invalid ${definition.name} request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return params as P;
}

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The numeric parameters of each check, worked out once (this runs on every request). */
const numericByCheck = new Map<CheckName, ReadonlySet<string>>();
function numericParams(definition: CheckDefinition): ReadonlySet<string> {
  let numeric = numericByCheck.get(definition.name);
  if (numeric === undefined) {
    const schema = { ...COMMON_PARAMS_SCHEMA, ...definition.paramsSchema } as Record<
      string,
      { type?: string }
    >;
    numeric = new Set(
      Object.keys(schema).filter((k) => ['number', 'integer'].includes(schema[k]?.type ?? '')),
    );
    numericByCheck.set(definition.name, numeric);
  }
  return numeric;
}

/** Numbers in a query string must be written in decimal: coercion would otherwise accept "0x10" or " 1 ". */
function notDecimal(definition: CheckDefinition, raw: unknown, fieldPrefix: string): RequestProblem[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const numeric = numericParams(definition);
  return Object.entries(raw)
    .filter(([k, v]) => typeof v === 'string' && numeric.has(k) && !DECIMAL.test(v))
    .map(([k]) => ({
      field: `${fieldPrefix}${k}`,
      message: 'must be a decimal number',
      allowed: 'e.g. 0.95, 2, 1e-3',
    }));
}

/** Coercion turns "1e309" into Infinity after ajv's range checks have run; refuse it here. */
function notFinite(params: Record<string, unknown>, fieldPrefix: string): RequestProblem[] {
  return Object.entries(params)
    .filter(([, v]) => typeof v === 'number' && !Number.isFinite(v))
    .map(([k]) => ({
      field: `${fieldPrefix}${k}`,
      message: 'must be a finite number',
      allowed: 'a finite number in range',
    }));
}

/**
 * A check with nothing to hold the canary against would pass anything: at least one absolute limit, or a relative
 * limit or the test (which compare with stable) must be in force.
 */
function missingCriteria(
  definition: CheckDefinition,
  params: CommonParams,
  fieldPrefix: string,
): RequestProblem[] {
  const set = (names: readonly string[]) =>
    names.some((n) => (params as unknown as Record<string, unknown>)[n] !== undefined);
  const testApplies = definition.supportsTest && params.test;
  if (set(definition.limitParams.absolute) || set(definition.limitParams.relative) || testApplies) return [];
  const names = [...definition.limitParams.absolute, ...definition.limitParams.relative];
  return [
    {
      field: `${fieldPrefix}${names[0] ?? 'test'}`,
      message: 'no limit is set, so nothing could fail this check',
      allowed: `at least one of ${names.join(', ')}${definition.supportsTest ? ', or test=true' : ''}`,
    },
  ];
}

/** Turns one ajv error into a problem that says which field and what is allowed. */
export function toProblem(error: ErrorObject, fieldPrefix = ''): RequestProblem {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const p = error.params as Record<string, unknown>;
  const at = (name: string) => `${fieldPrefix}${name}`;
  switch (error.keyword) {
    case 'required':
      return { field: at(String(p.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { field: at(String(p.additionalProperty)), message: 'is not a known parameter' };
    case 'enum':
      return {
        field: at(path),
        message: 'is not one of the allowed values',
        allowed: (p.allowedValues as unknown[]).join(', '),
      };
    case 'pattern':
      return {
        field: at(path),
        message: 'has a character or form that is not allowed',
        allowed: `pattern ${String(p.pattern)}`,
      };
    case 'type':
      return { field: at(path || '(body)'), message: `must be ${String(p.type)}`, allowed: String(p.type) };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        field: at(path),
        message: `must be ${String(p.comparison)} ${String(p.limit)}`,
        allowed: `${String(p.comparison)} ${String(p.limit)}`,
      };
    default:
      return { field: at(path || '(body)'), message: error.message ?? 'is invalid' };
  }
}
