// The type check expr runs when Argo compiles a condition (expr v1.15 checker/checker.go). Argo compiles with the
// measured value in the environment, so `result` has the value's concrete type and some mistakes fail before any
// evaluation: `result == 1` on a string is an Error measurement, not a false condition. Members of maps and
// arrays have the unknown type (interface {}) and are only checked at run time.
import type { Node } from './parser.js';
import { goType, ExprRuntimeError, type Value } from './values.js';

type Type = 'string' | 'float64' | 'int' | 'bool' | '<nil>' | 'map' | 'array' | 'any';

const GO_NAME: Readonly<Record<Type, string>> = {
  string: 'string',
  float64: 'float64',
  int: 'int',
  bool: 'bool',
  '<nil>': '<nil>',
  map: 'map[string]interface {}',
  array: '[]interface {}',
  any: 'interface {}',
};

function typeOfValue(v: Value): Type {
  const t = goType(v);
  if (t === 'map[string]interface {}') return 'map';
  if (t === '[]interface {}') return 'array';
  return t as Type;
}

const isNum = (t: Type) => t === 'int' || t === 'float64';
const fail = (message: string): never => {
  throw new ExprRuntimeError(message);
};

/** Throws ExprRuntimeError with expr's message when the condition does not type-check against this result. */
export function typeCheck(node: Node, result: Value): void {
  visit(node, result);
}

function comparable(l: Type, r: Type): boolean {
  return l === '<nil>' || r === '<nil>' || l === r || (isNum(l) && isNum(r)) || l === 'any' || r === 'any';
}

/** expr's `or`: one side unknown and the other of an accepted kind (or both unknown). */
function either(l: Type, r: Type, accepts: (t: Type) => boolean): boolean {
  return (l === 'any' && (r === 'any' || accepts(r))) || (r === 'any' && accepts(l));
}

function visit(node: Node, result: Value): Type {
  switch (node.kind) {
    case 'literal':
      return typeOfValue(node.value);
    case 'array':
      node.elements.forEach((e) => visit(e, result));
      return 'array';
    case 'identifier':
      if (node.name === 'result') return typeOfValue(result);
      return fail(`unknown name ${node.name}`);
    case 'member':
      return member(node.object, node.property, result);
    case 'call':
      return call(
        node.name,
        node.args.map((a) => visit(a, result)),
      );
    case 'conditional': {
      const test = visit(node.test, result);
      if (test !== 'bool' && test !== 'any')
        fail(`non-bool expression (type ${GO_NAME[test]}) used as condition`);
      const a = visit(node.then, result);
      const b = visit(node.otherwise, result);
      return a === b ? a : 'any';
    }
    case 'unary': {
      const t = visit(node.operand, result);
      if ((node.operator === '!' || node.operator === 'not') && (t === 'bool' || t === 'any')) return 'bool';
      if ((node.operator === '-' || node.operator === '+') && (isNum(t) || t === 'any')) return t;
      return fail(`invalid operation: ${node.operator} (mismatched type ${GO_NAME[t]})`);
    }
    case 'binary':
      return binary(node.operator, visit(node.left, result), visit(node.right, result));
  }
}

function member(object: Node, property: Node, result: Value): Type {
  const base = visit(object, result);
  const prop = visit(property, result);
  const name = property.kind === 'literal' && typeof property.value === 'string' ? property.value : undefined;
  if (base === '<nil>' && name !== undefined) return fail(`type <nil> has no field ${name}`);
  if (base === 'any') return 'any';
  if (base === 'map') {
    if (prop !== 'string' && prop !== 'any' && prop !== '<nil>')
      fail(`cannot use ${GO_NAME[prop]} to get an element from map[string]interface {}`);
    return 'any';
  }
  if (base === 'array') {
    if (prop !== 'int' && prop !== 'any')
      fail(`array elements can only be selected using an integer (got ${GO_NAME[prop]})`);
    return 'any';
  }
  return fail(`type ${GO_NAME[base]}[${GO_NAME[prop]}] is undefined`);
}

function call(name: string, args: readonly Type[]): Type {
  const [a] = args;
  switch (name) {
    case 'len':
      if (a !== 'array' && a !== 'map' && a !== 'string' && a !== 'any')
        fail(`invalid argument for len (type ${GO_NAME[a as Type]})`);
      return 'int';
    case 'isNaN':
    case 'isInf':
      if (!isNum(a as Type) && a !== 'any')
        fail(`cannot use ${GO_NAME[a as Type]} as argument (type float64) to call ${name} `);
      return 'bool';
    case 'asInt':
      return 'int';
    case 'asFloat':
      return 'float64';
    case 'isNil':
      return 'bool';
    default:
      return 'any';
  }
}

function binary(op: string, l: Type, r: Type): Type {
  const mismatch = () => fail(`invalid operation: ${op} (mismatched types ${GO_NAME[l]} and ${GO_NAME[r]})`);
  switch (op) {
    case '==':
    case '!=':
      return comparable(l, r) ? 'bool' : mismatch();
    case 'or':
    case '||':
    case 'and':
    case '&&':
      return (l === 'bool' && r === 'bool') || either(l, r, (t) => t === 'bool') ? 'bool' : mismatch();
    case '<':
    case '>':
    case '<=':
    case '>=':
      return (isNum(l) && isNum(r)) ||
        (l === 'string' && r === 'string') ||
        either(l, r, (t) => isNum(t) || t === 'string')
        ? 'bool'
        : mismatch();
    case '-':
    case '*':
      if (isNum(l) && isNum(r)) return l === r ? l : 'float64';
      return either(l, r, isNum) ? 'any' : mismatch();
    case '+':
      if (isNum(l) && isNum(r)) return l === r ? l : 'float64';
      if (l === 'string' && r === 'string') return 'string';
      return either(l, r, (t) => isNum(t) || t === 'string') ? 'any' : mismatch();
    case '/':
    case '**':
    case '^':
      return (isNum(l) && isNum(r)) || either(l, r, isNum) ? 'float64' : mismatch();
    case '%':
      if (l === 'int' && r === 'int') return 'int';
      return either(l, r, (t) => t === 'int') ? 'any' : mismatch();
    case 'in':
      if (r === 'map') {
        if (l !== '<nil>' && l !== 'any' && l !== 'string')
          fail(`cannot use ${GO_NAME[l]} as type string in map key`);
        return 'bool';
      }
      if (r === 'array' || r === 'any') return 'bool';
      if (l === 'any' && r === 'string') return 'bool';
      return mismatch();
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return (l === 'string' && r === 'string') || either(l, r, (t) => t === 'string') ? 'bool' : mismatch();
    case '??':
      if (l === '<nil>') return r;
      if (r === '<nil>') return l;
      return l === r ? l : 'any';
    default:
      return fail(`unknown operator (${op})`);
  }
}
