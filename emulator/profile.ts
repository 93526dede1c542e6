// The behaviour profile: how slow, how loaded, how faulty and how accurate the emulated vLLM server is.
// Profiles come from code, from a JSON or YAML file, or from PATCH /admin/profile, and are always validated against
// one schema, so a typo in a field name is an error that names the field rather than a silently ignored setting.
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';

/** A log-normal distribution: half the draws fall below `median`; `sigma` is the spread of its logarithm. */
export interface LogNormal {
  readonly median: number;
  readonly sigma: number;
}

export interface Profile {
  /** Waiting before the scheduler looks at the request (virtual seconds); slot waits come on top. */
  readonly queueWait: LogNormal;
  /** Prefill: from being scheduled to the first token (virtual seconds). The TTFT histogram adds queue time, as vLLM does. */
  readonly ttft: LogNormal;
  /** Time between consecutive output tokens (virtual seconds). */
  readonly interTokenLatency: LogNormal;
  /** Number of output tokens of an answer not found in the answer book; capped by max_tokens. */
  readonly outputTokens: LogNormal;
  /** The cap on output tokens when a request sets no max_tokens. @default 1024 */
  readonly maxOutputTokens: number;
  /** Load sensitivity k: prefill and inter-token times are multiplied by 1 + k * (other running requests). */
  readonly loadFactor: number;
  /** Requests running at once; more wait in the queue (num_requests_waiting, queue time). */
  readonly maxRunning: number;
  /** Probability that a request fails with HTTP 500 (counted as 5xx, not in request_success). */
  readonly errorRate: number;
  /** Probability that a request is aborted part way (finished_reason="abort"). */
  readonly abortRate: number;
  /** Probability that a request stalls for stallSeconds before its first token (for timeout tests). */
  readonly timeoutRate: number;
  /** When true every request stalls, as if timeoutRate were 1. */
  readonly hang: boolean;
  /** How long a stalled request waits before its first token (virtual seconds, divided by timeScale like all waits). */
  readonly stallSeconds: number;
  /** KV-cache usage fraction: base + perRunning * running requests, capped at 1. */
  readonly kvCache: { readonly base: number; readonly perRunning: number };
  /**
   * Per-request preemption probability: `probability` while KV usage is below `threshold`, rising linearly to
   * `probabilityAtFull` as usage reaches 1. A preempted request recomputes its prefill, which costs one more TTFT.
   */
  readonly preemption: {
    readonly probability: number;
    readonly probabilityAtFull: number;
    readonly threshold: number;
  };
  /** Probability of answering a prompt of the answer book with its correct answer. */
  readonly accuracy: number;
}

type DeepPartial<T> = { -readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
/** A profile with any subset of fields, merged over defaults (or over the running profile for PATCH). */
export type PartialProfile = DeepPartial<Profile>;

/** A fast, healthy, lightly loaded small model. */
export const defaultProfile: Profile = {
  queueWait: { median: 0.002, sigma: 0.5 },
  ttft: { median: 0.15, sigma: 0.4 },
  interTokenLatency: { median: 0.025, sigma: 0.25 },
  outputTokens: { median: 120, sigma: 0.6 },
  maxOutputTokens: 1024,
  loadFactor: 0.02,
  maxRunning: 64,
  errorRate: 0,
  abortRate: 0,
  timeoutRate: 0,
  hang: false,
  stallSeconds: 600,
  kvCache: { base: 0.05, perRunning: 0.01 },
  preemption: { probability: 0, probabilityAtFull: 0.2, threshold: 0.9 },
  accuracy: 0.9,
};

type Schema = Record<string, unknown>;

const logNormalSchema: Schema = {
  type: 'object',
  properties: {
    median: { type: 'number', exclusiveMinimum: 0 },
    sigma: { type: 'number', minimum: 0, maximum: 5 },
  },
};
const fraction: Schema = { type: 'number', minimum: 0, maximum: 1 };
const nonNegative: Schema = { type: 'number', minimum: 0 };

const objectFields: Record<string, Schema> = {
  queueWait: logNormalSchema,
  ttft: logNormalSchema,
  interTokenLatency: logNormalSchema,
  outputTokens: logNormalSchema,
  kvCache: { type: 'object', properties: { base: fraction, perRunning: fraction } },
  preemption: {
    type: 'object',
    properties: {
      probability: fraction,
      probabilityAtFull: fraction,
      threshold: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
    },
  },
};
const scalarFields: Record<string, Schema> = {
  maxOutputTokens: { type: 'integer', minimum: 1 },
  loadFactor: nonNegative,
  maxRunning: { type: 'integer', minimum: 1 },
  errorRate: fraction,
  abortRate: fraction,
  timeoutRate: fraction,
  hang: { type: 'boolean' },
  stallSeconds: nonNegative,
  accuracy: fraction,
};

/** The profile schema; `complete` requires every field (a merged profile), otherwise any subset (a patch). */
function profileSchema(complete: boolean): Schema {
  const strict = (schema: Schema): Schema => {
    const properties = schema.properties as Record<string, Schema> | undefined;
    if (!properties) return schema;
    return {
      ...schema,
      additionalProperties: false,
      ...(complete ? { required: Object.keys(properties) } : {}),
      properties: Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, strict(value)])),
    };
  };
  return strict({ type: 'object', properties: { ...objectFields, ...scalarFields } });
}

const ajv = new Ajv({ allErrors: true });
const validatePatch = ajv.compile<PartialProfile>(profileSchema(false));
const validateComplete = ajv.compile<Profile>(profileSchema(true));

/** Thrown when a profile or patch breaks the schema; `problems` lists every broken field, one message each. */
export class ProfileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid profile: ${problems.join('; ')}`);
    this.name = 'ProfileError';
  }
}

/** One message per ajv error, naming the field the way a user writes it: `profile.kvCache.base must be <= 1`. */
function describe(error: ErrorObject): string {
  const field = ['profile', ...error.instancePath.split('/').filter(Boolean)].join('.');
  if (error.keyword === 'additionalProperty' || error.keyword === 'additionalProperties') {
    const unknown = (error.params as { additionalProperty: string }).additionalProperty;
    return `${field}.${unknown} is not a known field`;
  }
  if (error.keyword === 'required') {
    return `${field}.${(error.params as { missingProperty: string }).missingProperty} is required`;
  }
  return `${field} ${error.message ?? 'is invalid'}`;
}

/** Checks a patch (any subset of fields) and returns it typed, or throws ProfileError naming every bad field. */
export function validateProfilePatch(patch: unknown): PartialProfile {
  if (validatePatch(patch)) return patch;
  throw new ProfileError((validatePatch.errors ?? []).map(describe));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

/** Merges a patch over a complete profile and validates both, so a merged profile is always complete and sane. */
export function mergeProfile(base: Profile, patch: unknown = {}): Profile {
  const valid = validateProfilePatch(patch);
  const merged = deepMerge(base as unknown as Record<string, unknown>, valid as Record<string, unknown>);
  if (validateComplete(merged)) return merged;
  throw new ProfileError((validateComplete.errors ?? []).map(describe));
}

/** Reads a profile patch from a JSON or YAML file (YAML is a superset of JSON) and validates it. */
export async function loadProfileFile(path: string): Promise<PartialProfile> {
  const text = await readFile(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new Error(
      `${path}: not valid JSON or YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    return validateProfilePatch(parsed ?? {});
  } catch (error) {
    if (error instanceof ProfileError)
      throw new ProfileError(error.problems.map((problem) => `${path}: ${problem}`));
    throw error;
  }
}
