// JSON: the answer holds a JSON value (bare, in a ```json fence, or after some prose) that is valid against `schema`
// and, when `expected` is given, contains it (match: subset) or equals it (match: exact).
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { defineScorer, fail, GENERIC_WRONG, pass, type JsonSchema } from './scorer.js';
import { quote } from './text.js';

export interface JsonOptions {
  /** The JSON Schema the answer must satisfy. */
  readonly schema?: JsonSchema;
  /** How `expected` is compared: every field of it present and equal (subset), or the whole value equal. @default "subset" */
  readonly match?: 'subset' | 'exact';
}

// ajv-formats is CommonJS: the function is the module itself at run time, `default` to the type checker.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const formatsModule = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsModule.default ?? formatsModule;
const ajv = addFormats(new Ajv({ allErrors: false, strict: false }));
const compiled = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** The first JSON value in a text: a fenced block, the whole text, or the first bracketed value that parses. */
export function extractJson(text: string): { found: true; value: unknown } | { found: false } {
  const attempts: string[] = [];
  const fence = /```[ \t]*(?:json|JSON|jsonc)?[ \t]*\r?\n?([\s\S]*?)```/.exec(text);
  if (fence) attempts.push(fence[1]!);
  attempts.push(text);
  for (const candidate of attempts) {
    try {
      return { found: true, value: JSON.parse(candidate) };
    } catch {
      // not JSON as a whole; look inside below
    }
  }
  let tries = 0;
  for (let start = 0; start < text.length && tries < 20; start += 1) {
    if (text[start] !== '{' && text[start] !== '[') continue;
    tries += 1;
    const end = closingIndex(text, start);
    if (end < 0) continue;
    try {
      return { found: true, value: JSON.parse(text.slice(start, end + 1)) };
    } catch {
      // try the next bracket
    }
  }
  return { found: false };
}

/** Index of the bracket closing the one at `start`, skipping strings; -1 when it never closes. */
function closingIndex(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth += 1;
    else if (ch === '}' || ch === ']') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The first path where `actual` differs from `expected` ("" when they agree). */
export function firstDifference(actual: unknown, expected: unknown, subset: boolean, path = '$'): string {
  if (expected !== null && typeof expected === 'object') {
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) return path;
      for (let i = 0; i < expected.length; i += 1) {
        const diff = firstDifference(actual[i], expected[i], subset, `${path}[${i}]`);
        if (diff) return diff;
      }
      return '';
    }
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return path;
    const want = expected as Record<string, unknown>;
    const have = actual as Record<string, unknown>;
    if (!subset && Object.keys(have).some((key) => !(key in want))) return path;
    for (const key of Object.keys(want)) {
      const diff = firstDifference(have[key], want[key], subset, `${path}.${key}`);
      if (diff) return diff;
    }
    return '';
  }
  return actual === expected ? '' : path;
}

export const jsonScorer = defineScorer<unknown, JsonOptions>({
  type: 'json',
  description:
    'the answer holds JSON (fences and prose around it allowed) valid against `schema` and containing `expected`',
  options: { schema: { type: 'object' }, match: { enum: ['subset', 'exact'] } },
  check(expected, options) {
    if (options.schema === undefined) {
      return expected === undefined
        ? { field: 'scorer.schema', message: 'is required when the item has no expected value' }
        : undefined;
    }
    let validate: ValidateFunction;
    try {
      validate = validatorOf(options.schema);
    } catch (error) {
      return { field: 'scorer.schema', message: `is not a valid JSON Schema: ${(error as Error).message}` };
    }
    if (expected !== undefined && options.match === 'exact' && !validate(expected)) {
      return {
        field: 'expected',
        message: `does not satisfy the schema: ${ajv.errorsText(validate.errors)}`,
      };
    }
    return undefined;
  },
  score(answer, expected, options) {
    const parsed = extractJson(answer);
    if (!parsed.found) return fail(`no JSON in ${quote(answer)}`);
    if (options.schema) {
      const validate = validatorOf(options.schema);
      if (!validate(parsed.value)) return fail(`JSON breaks the schema: ${ajv.errorsText(validate.errors)}`);
    }
    if (expected !== undefined) {
      const diff = firstDifference(parsed.value, expected, options.match !== 'exact');
      if (diff) return fail(`JSON differs from the expected value at ${diff}`);
    }
    return pass(expected === undefined ? 'valid JSON for the schema' : 'JSON matches the expected value');
  },
  // `expected` is a printable answer only when it satisfies the schema on its own (a subset may not).
  correctAnswer(expected, options) {
    if (expected === undefined) return undefined;
    return options.schema === undefined || validatorOf(options.schema)(expected)
      ? JSON.stringify(expected)
      : undefined;
  },
  wrongAnswer: () => GENERIC_WRONG,
});
