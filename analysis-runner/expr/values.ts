// Values as expr sees them in Argo: JSON decoded by Go (numbers float64, objects map[string]interface {}, arrays
// []interface {}), plus expr's own ints (literals, len, asInt), held here as bigint so that int and float64 stay
// apart the way Go keeps them (`7 % 2` works on ints only, `/` always gives float64).

export type Value =
  | string
  | number
  | bigint
  | boolean
  | null
  | readonly Value[]
  | { readonly [key: string]: Value };

/** A runtime failure: Argo records the measurement as Error with this message. */
export class ExprRuntimeError extends Error {
  override readonly name = 'ExprRuntimeError';
}

export function isMap(v: Value): v is { readonly [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isNumber(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** Go's %T of a value. */
export function goType(v: Value): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** expr's runtime.Equal: numbers compare across int and float64, strings by value, the rest deeply. */
export function equal(a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    return Number(a) === Number(b);
  }
  if (a === null || b === null) return a === b;
  return deepEqual(a, b);
}

/** reflect.DeepEqual on decoded JSON: no numeric conversion between int and float64. */
function deepEqual(a: Value, b: Value): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x: Value, i: number) => deepEqual(x, b[i] as Value));
  const ka = Object.keys(a);
  const mb = b as { readonly [key: string]: Value };
  return (
    ka.length === Object.keys(mb).length &&
    ka.every(
      (k) =>
        Object.hasOwn(mb, k) &&
        deepEqual((a as { readonly [key: string]: Value })[k] as Value, mb[k] as Value),
    )
  );
}

/** runtime.ToInt: floats truncate, anything else is an error. */
export function toInt(v: Value): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.trunc(v);
  throw new ExprRuntimeError(`invalid operation: int(${goType(v)})`);
}

/** Wraps to Go's 64-bit int. */
export function int64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** For printing: bigint as a plain number, the rest as JSON. */
export function show(v: Value): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? 'null';
}
