// Evaluates a parsed condition the way expr's VM does (vm/runtime), with Argo's helpers (utils/evaluate):
// asInt, asFloat, isNaN, isInf, and isNil/default, which in Argo look at `result` whatever their first argument is.
import type { Node } from './parser.js';
import { equal, ExprRuntimeError, goType, int64, isMap, isNumber, toInt, type Value } from './values.js';

const fail = (message: string): never => {
  throw new ExprRuntimeError(message);
};

export function evaluate(node: Node, result: Value): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'array':
      return node.elements.map((e) => evaluate(e, result));
    case 'identifier':
      return node.name === 'result' ? result : fail(`unknown name ${node.name}`);
    case 'member':
      return fetch(evaluate(node.object, result), evaluate(node.property, result));
    case 'call':
      return call(node.name, node.args, result);
    case 'conditional':
      return asBool(evaluate(node.test, result))
        ? evaluate(node.then, result)
        : evaluate(node.otherwise, result);
    case 'unary':
      return unary(node.operator, evaluate(node.operand, result));
    case 'binary':
      return binary(node, result);
  }
}

/** Go's `.(bool)` type assertion in the VM. */
function asBool(v: Value): boolean {
  if (typeof v !== 'boolean') fail(`interface conversion: interface {} is ${goType(v)}, not bool`);
  return v as boolean;
}

function fetch(from: Value, key: Value): Value {
  if (from === null) return fail(`cannot fetch ${display(key)} from <nil>`);
  if (Array.isArray(from) || typeof from === 'string') {
    const length = typeof from === 'string' ? Buffer.byteLength(from) : from.length;
    let index = toInt(key);
    if (index < 0) index += length;
    if (index < 0 || index >= length) fail(`reflect: slice index out of range`);
    return typeof from === 'string'
      ? BigInt(Buffer.from(from)[index] ?? 0)
      : ((from as readonly Value[])[index] as Value);
  }
  if (isMap(from)) {
    if (key !== null && typeof key !== 'string')
      return fail(`reflect.Value.MapIndex: value of type ${goType(key)} is not assignable to type string`);
    const name = key ?? '';
    return Object.hasOwn(from, name) ? (from[name] as Value) : null;
  }
  return fail(`cannot fetch ${display(key)} from ${goType(from)}`);
}

function display(v: Value): string {
  return v === null ? '<nil>' : typeof v === 'string' ? v : String(v);
}

function unary(op: string, v: Value): Value {
  if (op === '!' || op === 'not') return !asBool(v);
  if (!isNumber(v)) return fail(`invalid operation: ${op} ${goType(v)}`);
  if (op === '+') return v;
  return typeof v === 'bigint' ? int64(-v) : -v;
}

function binary(node: Extract<Node, { kind: 'binary' }>, result: Value): Value {
  const op = node.operator;
  const left = evaluate(node.left, result);
  // `and`/`or` short-circuit and, like expr's VM, yield the right operand as it is.
  if (op === '&&' || op === 'and') return asBool(left) ? evaluate(node.right, result) : false;
  if (op === '||' || op === 'or') return asBool(left) ? true : evaluate(node.right, result);
  if (op === '??') return left === null ? evaluate(node.right, result) : left;
  const right = evaluate(node.right, result);
  const mismatch = (symbol = op) => fail(`invalid operation: ${goType(left)} ${symbol} ${goType(right)}`);
  switch (op) {
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compare(op, left, right) ?? mismatch();
    case '+':
      if (typeof left === 'string' && typeof right === 'string') return left + right;
      return arithmetic(op, left, right) ?? mismatch();
    case '-':
    case '*':
      return arithmetic(op, left, right) ?? mismatch();
    case '/':
      return isNumber(left) && isNumber(right) ? Number(left) / Number(right) : mismatch();
    case '**':
    case '^':
      return isNumber(left) && isNumber(right) ? Math.pow(Number(left), Number(right)) : mismatch();
    case '%':
      if (typeof left !== 'bigint' || typeof right !== 'bigint') return mismatch('%');
      return right === 0n ? fail('runtime error: integer divide by zero') : left % right;
    case 'in':
      return contains(right, left);
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      if (typeof left !== 'string')
        return fail(`interface conversion: interface {} is ${goType(left)}, not string`);
      if (typeof right !== 'string')
        return fail(`interface conversion: interface {} is ${goType(right)}, not string`);
      if (op === 'contains') return left.includes(right);
      return op === 'startsWith' ? left.startsWith(right) : left.endsWith(right);
    }
  }
  return fail(`unknown operator (${op})`);
}

function compare(op: string, a: Value, b: Value): boolean | undefined {
  let x: number | string | bigint;
  let y: number | string | bigint;
  if (isNumber(a) && isNumber(b)) {
    [x, y] = typeof a === 'bigint' && typeof b === 'bigint' ? [a, b] : [Number(a), Number(b)];
  } else if (typeof a === 'string' && typeof b === 'string') [x, y] = [a, b];
  else return undefined;
  if (op === '<') return x < y;
  if (op === '>') return x > y;
  if (op === '<=') return x <= y;
  return x >= y;
}

function arithmetic(op: string, a: Value, b: Value): Value | undefined {
  if (!isNumber(a) || !isNumber(b)) return undefined;
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (op === '+') return int64(a + b);
    if (op === '-') return int64(a - b);
    return int64(a * b);
  }
  const [x, y] = [Number(a), Number(b)];
  if (op === '+') return x + y;
  if (op === '-') return x - y;
  return x * y;
}

/** runtime.In: an element of an array, a key of a map. */
function contains(haystack: Value, needle: Value): boolean {
  if (haystack === null) return false;
  if (Array.isArray(haystack)) return haystack.some((v: Value) => equal(v, needle));
  if (isMap(haystack)) {
    if (needle !== null && typeof needle !== 'string')
      return fail(`reflect.Value.MapIndex: value of type ${goType(needle)} is not assignable to type string`);
    return Object.hasOwn(haystack, needle ?? '');
  }
  return fail(`operator "in" not defined on ${goType(haystack)}`);
}

function call(name: string, args: readonly Node[], result: Value): Value {
  const values = args.map((a) => evaluate(a, result));
  const [a, b] = values as [Value, Value];
  switch (name) {
    case 'len':
      if (typeof a === 'string') return BigInt(Buffer.byteLength(a));
      if (Array.isArray(a)) return BigInt(a.length);
      if (isMap(a)) return BigInt(Object.keys(a).length);
      return fail(`invalid argument for len (type ${goType(a)})`);
    case 'asInt':
      return asInt(a);
    case 'asFloat':
      return asFloat(a);
    case 'isNaN':
      return Number.isNaN(float(name, a));
    case 'isInf':
      return !Number.isFinite(float(name, a)) && !Number.isNaN(float(name, a));
    case 'isNil':
      return result === null;
    case 'default':
      return result === null ? b : result;
  }
  return fail(`unknown func ${name}`);
}

function float(name: string, v: Value): number {
  if (!isNumber(v)) return fail(`reflect: Call using ${goType(v)} as type float64 (${name})`);
  return Number(v);
}

function asInt(v: Value): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return -(2n ** 63n);
    return int64(BigInt(Math.trunc(v)));
  }
  if (typeof v === 'string') {
    if (!/^[+-]?\d+$/.test(v)) return fail(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
    const n = BigInt(v);
    if (n !== int64(n)) return fail(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
    return n;
  }
  return fail(`asInt() not supported on ${goType(v)} ${display(v)}`);
}

function asFloat(v: Value): number {
  if (isNumber(v)) return Number(v);
  if (typeof v === 'string') {
    const text = v.replace(/^\+/, '');
    if (/^-?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(text)) return Number.NaN;
    if (/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
    return fail(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
  return fail(`asFloat() not supported on ${goType(v)} ${display(v)}`);
}
