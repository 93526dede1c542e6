// The part of Kubernetes JSONPath (k8s.io/client-go/util/jsonpath) that Argo's web provider applies to an answer,
// with its semantics: `{$.verdict}`, `{.checks[0].verdict}`, `{['key']}`, `[*]`, negative indexes, slices and
// unions; a missing key is an error (`verdict is not found`); null values are skipped; only the first match is
// used. Filters, recursive descent, range/end and literals inside `{}` are refused up front.

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** A path this runner cannot evaluate (or Kubernetes cannot parse): reported before any measurement. */
export class JsonPathSyntaxError extends Error {
  override readonly name = 'JsonPathSyntaxError';
}

/** The path found nothing usable in an answer: Argo records an Error measurement with this message. */
export class JsonPathLookupError extends Error {
  override readonly name = 'JsonPathLookupError';
}

type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'wildcard' }
  | {
      readonly kind: 'slice';
      readonly start?: number;
      readonly end?: number;
      readonly endDerived: boolean;
      readonly step?: number;
    }
  | { readonly kind: 'union'; readonly parts: readonly (readonly Step[])[] };

type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly steps: readonly Step[] };

export interface JsonPath {
  readonly source: string;
  /** True when the template has text outside `{...}`: Kubernetes returns that text as a result. */
  readonly hasText: boolean;
  /** The first match, as Argo's web provider takes it; throws JsonPathLookupError. */
  first(data: Json): Json;
}

const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}']);
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;

/** Parses a template; `''` means Argo's default `{$}`. */
export function parseJsonPath(template: string): JsonPath {
  const source = template === '' ? '{$}' : template;
  const segments = parseTemplate(source);
  return {
    source,
    hasText: segments.some((s) => s.kind === 'text'),
    first(data: Json): Json {
      const results = segments.map((s) => (s.kind === 'text' ? [s.text] : run(s.steps, [data])));
      for (const list of results) if (list.length > 0) return list[0] as Json;
      throw new JsonPathLookupError('result of web metric produced no value');
    },
  };
}

function parseTemplate(source: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{', i);
    if (open < 0) {
      segments.push({ kind: 'text', text: source.slice(i) });
      break;
    }
    if (open > i) segments.push({ kind: 'text', text: source.slice(i, open) });
    const close = source.indexOf('}', open);
    if (close < 0 || /[\r\n]/.test(source.slice(open, close)))
      throw new JsonPathSyntaxError('unclosed action');
    segments.push({ kind: 'action', steps: parseAction(source.slice(open + 1, close)) });
    i = close + 1;
  }
  return segments;
}

function unsupported(what: string): never {
  throw new JsonPathSyntaxError(`jsonPath: ${what} is not supported by vllm-canary analyze`);
}

function parseAction(text: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (text.startsWith('[?(', i)) unsupported('a filter [?(...)]');
    if (text.startsWith('..', i)) unsupported("recursive descent '..'");
    if (c === ' ' || c === '$' || c === '@') {
      i++;
    } else if (c === '.') {
      let j = i + 1;
      let name = '';
      while (j < text.length && !TERMINATORS.has(text[j] as string)) {
        if (text[j] === '\\') j++;
        name += text[j] ?? '';
        j++;
      }
      steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name });
      i = j;
    } else if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) throw new JsonPathSyntaxError('unterminated array');
      steps.push(...parseBracket(text.slice(i + 1, close)));
      i = close + 1;
    } else if (c === '"' || c === "'") unsupported('a quoted literal inside {...}');
    else if (c === '+' || c === '-' || /\d/.test(c)) unsupported('a number literal inside {...}');
    else if (/[\p{L}_]/u.test(c)) {
      const word = /^[\p{L}\p{N}_]+/u.exec(text.slice(i))?.[0] ?? c;
      unsupported(`'${word}' (range/end and literals)`);
    } else {
      const code = (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      throw new JsonPathSyntaxError(`unrecognized character in action: U+${code} '${c}'`);
    }
  }
  return steps;
}

function parseBracket(inner: string): Step[] {
  const text = inner === '*' ? ':' : inner;
  const parts = text.split(',');
  if (parts.length > 1) return [{ kind: 'union', parts: parts.map((p) => parseBracket(p.trim())) }];
  const key = /^'([^']*)'$/.exec(text);
  // Kubernetes re-parses `['a.b']` as `.a.b`: a dot inside the quotes still separates fields.
  if (key !== null) return parseAction(`.${key[1]}`);
  const slice = SLICE.exec(text);
  if (slice === null) throw new JsonPathSyntaxError(`invalid array index ${text}`);
  const [, a = '', b, c] = slice;
  const num = (s: string | undefined) =>
    s === undefined || s === '' || s === ':' ? undefined : Number(s.replace(/^:/, ''));
  if (b === undefined) {
    // `[i]`: one element, the end derived from the start.
    const start = a === '' ? 0 : Number(a);
    return [{ kind: 'slice', start, end: start + 1, endDerived: true }];
  }
  return [{ kind: 'slice', start: num(a), end: num(b), endDerived: false, step: num(c) }];
}

function isObject(v: Json): v is { readonly [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function goTypeName(v: Json): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return 'float64';
  return typeof v;
}

function run(steps: readonly Step[], input: readonly Json[]): Json[] {
  let values = [...input];
  for (const step of steps) values = apply(step, values);
  return values;
}

function apply(step: Step, input: readonly Json[]): Json[] {
  const out: Json[] = [];
  switch (step.kind) {
    case 'field':
      if (input.length === 0) return out;
      for (const v of input) if (isObject(v) && Object.hasOwn(v, step.name)) out.push(v[step.name] as Json);
      if (out.length === 0) throw new JsonPathLookupError(`${step.name} is not found`);
      return out;
    case 'wildcard':
      for (const v of input) {
        if (Array.isArray(v)) out.push(...(v as Json[]));
        else if (isObject(v)) out.push(...Object.values(v));
      }
      return out;
    case 'union':
      for (const part of step.parts) out.push(...run(part, input));
      return out;
    case 'slice':
      for (const v of input) {
        if (v === null) continue;
        if (!Array.isArray(v)) throw new JsonPathLookupError(`${goTypeName(v)} is not array or slice`);
        out.push(...slice(v as Json[], step));
      }
      return out;
  }
}

function slice(array: readonly Json[], s: Extract<Step, { kind: 'slice' }>): Json[] {
  const length = array.length;
  let start = s.start ?? 0;
  if (start < 0) start += length;
  let end = s.end ?? length;
  if (end < 0 || (end === 0 && s.endDerived)) end += length;
  if (end === start) return [];
  if (start >= length || start < 0)
    throw new JsonPathLookupError(`array index out of bounds: index ${start}, length ${length}`);
  if (end > length || end < 0)
    throw new JsonPathLookupError(`array index out of bounds: index ${end - 1}, length ${length}`);
  if (start > end)
    throw new JsonPathLookupError(`starting index ${start} is greater than ending index ${end}`);
  const step = s.step ?? 1;
  if (step <= 0) throw new JsonPathLookupError('step must be > 0');
  const out: Json[] = [];
  for (let i = start; i < end; i += step) out.push(array[i] as Json);
  return out;
}

/** Go's json.Marshal of a decoded value: object keys sorted, <, > and & escaped (Argo's measurement `value`). */
export function goJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map((v: Json) => goJson(v)).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${escapeHtml(JSON.stringify(k))}:${goJson(value[k] as Json)}`)
      .join(',')}}`;
  return escapeHtml(JSON.stringify(value) ?? 'null');
}

function escapeHtml(json: string): string {
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
