// Pratt parser for the condition subset of expr-lang/expr v1.15, with expr's operator table (parser/operator):
// or/|| 10, and/&& 15, comparisons and `in` 20, + - 30, * / % 60, ** ^ 100 (right); unary not/! 50, - + 90;
// `a ? b : c` lowest. Constructs expr has but this runner does not evaluate raise ExprUnsupportedError.
import { ExprSyntaxError, ExprUnsupportedError, position, tokenize, type Token } from './tokenizer.js';

export type Node =
  | { readonly kind: 'literal'; readonly value: string | number | bigint | boolean | null }
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'array'; readonly elements: readonly Node[] }
  | { readonly kind: 'member'; readonly object: Node; readonly property: Node }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Node[] }
  | { readonly kind: 'unary'; readonly operator: string; readonly operand: Node }
  | { readonly kind: 'binary'; readonly operator: string; readonly left: Node; readonly right: Node }
  | { readonly kind: 'conditional'; readonly test: Node; readonly then: Node; readonly otherwise: Node };

/** Functions a condition may call: Argo's helpers and the expr built-ins conditions use. */
export const SUPPORTED_FUNCTIONS: Readonly<Record<string, number>> = {
  len: 1,
  asInt: 1,
  asFloat: 1,
  isNaN: 1,
  isInf: 1,
  isNil: 1,
  default: 2,
};

const BINARY: Readonly<Record<string, { readonly precedence: number; readonly right?: boolean }>> = {
  or: { precedence: 10 },
  '||': { precedence: 10 },
  and: { precedence: 15 },
  '&&': { precedence: 15 },
  '==': { precedence: 20 },
  '!=': { precedence: 20 },
  '<': { precedence: 20 },
  '>': { precedence: 20 },
  '<=': { precedence: 20 },
  '>=': { precedence: 20 },
  in: { precedence: 20 },
  contains: { precedence: 20 },
  startsWith: { precedence: 20 },
  endsWith: { precedence: 20 },
  '+': { precedence: 30 },
  '-': { precedence: 30 },
  '*': { precedence: 60 },
  '/': { precedence: 60 },
  '%': { precedence: 60 },
  '**': { precedence: 100, right: true },
  '^': { precedence: 100, right: true },
  '??': { precedence: 500 },
};

const UNARY: Readonly<Record<string, number>> = { not: 50, '!': 50, '-': 90, '+': 90 };

/** expr operators and tokens this runner does not evaluate, with what to write instead where there is a way. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  matches: "operator 'matches' (regular expressions)",
  '..': "range operator '..'",
  '|': "pipe operator '|'",
  '?.': "optional chaining '?.'",
  '#': "closure pointer '#'",
  let: "'let' variable declaration",
  '{': 'map literal or closure {...}',
};

export function parse(source: string): Node {
  return new Parser(source).parseAll();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(): Node {
    if (this.is('eof')) throw new ExprSyntaxError('unexpected end of expression');
    const node = this.expression(0);
    if (!this.is('eof')) this.unexpected();
    return node;
  }

  private get current(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const token = this.current;
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private is(kind: Token['kind'], value?: string): boolean {
    return this.current.kind === kind && (value === undefined || this.current.value === value);
  }

  private expect(kind: Token['kind'], value: string): void {
    if (!this.is(kind, value)) this.unexpected();
    this.next();
  }

  private unexpected(): never {
    const t = this.current;
    this.rejectUnsupported(t);
    if (t.kind === 'eof') throw new ExprSyntaxError('unexpected end of expression');
    throw new ExprSyntaxError(`unexpected token ${describe(t)} (${position(this.source, t.at)})`);
  }

  private rejectUnsupported(t: Token): void {
    const what = (t.kind === 'operator' || t.kind === 'bracket') && UNSUPPORTED[t.value];
    if (what)
      throw new ExprUnsupportedError(
        `expr: ${what} is not supported by vllm-canary analyze (${position(this.source, t.at)})`,
      );
  }

  private expression(precedence: number): Node {
    let left = this.primary();
    for (;;) {
      const t = this.current;
      if (t.kind !== 'operator') break;
      let negate = false;
      let op = t;
      if (t.value === 'not') {
        const after = this.tokens[this.pos + 1];
        if (after === undefined || after.kind !== 'operator' || BINARY[after.value] === undefined) break;
        negate = true;
        op = after;
      }
      this.rejectUnsupported(op);
      const info = BINARY[op.value];
      if (info === undefined || info.precedence < precedence) break;
      if (negate) this.next();
      this.next();
      const right = this.expression(info.right === true ? info.precedence : info.precedence + 1);
      left = { kind: 'binary', operator: op.value, left, right };
      if (negate) left = { kind: 'unary', operator: 'not', operand: left };
    }
    if (precedence === 0 && this.is('operator', '?')) {
      this.next();
      const then = this.expression(0);
      this.expect('operator', ':');
      const otherwise = this.expression(0);
      left = { kind: 'conditional', test: left, then, otherwise };
    }
    return left;
  }

  private primary(): Node {
    const t = this.current;
    if (t.kind === 'operator' && UNARY[t.value] !== undefined) {
      this.next();
      const operand = this.expression(UNARY[t.value] as number);
      return this.postfix({ kind: 'unary', operator: t.value, operand });
    }
    if (this.is('bracket', '(')) {
      this.next();
      const inner = this.expression(0);
      this.expect('bracket', ')');
      return this.postfix(inner);
    }
    return this.postfix(this.secondary());
  }

  private secondary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'eof':
        throw new ExprSyntaxError('unexpected end of expression');
      case 'identifier':
        if (t.value === 'true' || t.value === 'false') return { kind: 'literal', value: t.value === 'true' };
        if (t.value === 'nil') return { kind: 'literal', value: null };
        if (this.is('bracket', '(')) return this.call(t);
        return { kind: 'identifier', name: t.value };
      case 'number':
        return { kind: 'literal', value: numberLiteral(t.value) };
      case 'string':
        return { kind: 'literal', value: t.value };
      case 'bracket':
        if (t.value === '[') return { kind: 'array', elements: this.list(']') };
        break;
    }
    this.pos--;
    return this.unexpected();
  }

  private call(name: Token): Node {
    const arity = SUPPORTED_FUNCTIONS[name.value];
    if (arity === undefined)
      throw new ExprUnsupportedError(
        `expr: function '${name.value}' is not supported by vllm-canary analyze; supported: ${Object.keys(SUPPORTED_FUNCTIONS).join(', ')}`,
      );
    this.next();
    const args = this.list(')');
    if (args.length < arity) throw new ExprSyntaxError(`not enough arguments to call ${name.value}`);
    if (args.length > arity) throw new ExprSyntaxError(`too many arguments to call ${name.value}`);
    return { kind: 'call', name: name.value, args };
  }

  private list(close: string): Node[] {
    const items: Node[] = [];
    while (!this.is('bracket', close)) {
      if (items.length > 0) this.expect('operator', ',');
      if (this.is('bracket', close)) break;
      items.push(this.expression(0));
    }
    this.next();
    return items;
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.is('operator', '.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'identifier' && !(name.kind === 'operator' && /^[A-Za-z]/.test(name.value))) {
          this.pos--;
          this.unexpected();
        }
        if (this.is('bracket', '('))
          throw new ExprUnsupportedError(
            `expr: method calls (.${name.value}()) are not supported by vllm-canary analyze`,
          );
        node = { kind: 'member', object: node, property: { kind: 'literal', value: name.value } };
      } else if (this.is('bracket', '[')) {
        this.next();
        if (this.is('operator', ':'))
          throw new ExprUnsupportedError('expr: slices (a[i:j]) are not supported by vllm-canary analyze');
        const property = this.expression(0);
        if (this.is('operator', ':'))
          throw new ExprUnsupportedError('expr: slices (a[i:j]) are not supported by vllm-canary analyze');
        this.expect('bracket', ']');
        node = { kind: 'member', object: node, property };
      } else if (this.is('operator', '?.')) {
        this.unexpected();
      } else return node;
    }
  }
}

function numberLiteral(text: string): number | bigint {
  const clean = text.replace(/_/g, '');
  if (/^0[xX]/.test(clean)) return BigInt(clean);
  if (/[.eE]/.test(clean)) {
    const n = Number(clean);
    if (Number.isNaN(n)) throw new ExprSyntaxError(`invalid float literal: ${text}`);
    return n;
  }
  return BigInt(clean);
}

function describe(t: Token): string {
  if (t.kind === 'string') return `String(${JSON.stringify(t.value)})`;
  const kind = {
    number: 'Number',
    identifier: 'Identifier',
    operator: 'Operator',
    bracket: 'Bracket',
    eof: 'EOF',
  }[t.kind];
  return `${kind}(${JSON.stringify(t.value)})`;
}
