// Tokenizer for the subset of expr-lang/expr (v1.15, what Argo Rollouts v1.9.1 links) that conditions use.
// Tokens expr knows but vllm-canary does not evaluate are still recognised, so that the parser can name them in a
// clear "not supported" error instead of a confusing syntax error.

export type TokenKind = 'number' | 'string' | 'identifier' | 'operator' | 'bracket' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  /** Offset in the expression (0-based). */
  readonly at: number;
}

/** A condition expr would reject too: Argo records every measurement of such a metric as Error. */
export class ExprSyntaxError extends Error {
  override readonly name = 'ExprSyntaxError';
}

/** A construct expr supports but vllm-canary analyze does not: reported before any measurement. */
export class ExprUnsupportedError extends Error {
  override readonly name = 'ExprUnsupportedError';
}

/** Words expr's lexer turns into operators. */
export const WORD_OPERATORS: ReadonlySet<string> = new Set([
  'not',
  'and',
  'or',
  'in',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  'let',
]);

// Longest first, so `**` wins over `*` and `??` over `?`.
const SYMBOLS = [
  '...',
  '?.',
  '??',
  '**',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '..',
  '!',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '|',
  '?',
  ':',
  '.',
  ',',
  '#',
  ';',
  '=',
  '&',
];

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const number = /^(0[xX][0-9a-fA-F_]+|[0-9_]*\.?[0-9_]+(?:[eE][+-]?[0-9_]+)?|[0-9_]+\.?)/.exec(
        source.slice(i),
      );
      let text = number?.[0] ?? c;
      // `1..5` is a range, not the float `1.`.
      if (text.endsWith('.') && source[i + text.length] === '.') text = text.slice(0, -1);
      tokens.push({ kind: 'number', value: text, at: start });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i))?.[0] ?? c;
      tokens.push({ kind: WORD_OPERATORS.has(word) ? 'operator' : 'identifier', value: word, at: start });
      i += word.length;
      continue;
    }
    if (c === '"' || c === "'") {
      const [value, end] = readQuoted(source, i, c);
      tokens.push({ kind: 'string', value, at: start });
      i = end;
      continue;
    }
    if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) throw new ExprSyntaxError(`literal not terminated (${position(source, start)})`);
      tokens.push({ kind: 'string', value: source.slice(i + 1, end), at: start });
      i = end + 1;
      continue;
    }
    if ('()[]{}'.includes(c)) {
      tokens.push({ kind: 'bracket', value: c, at: start });
      i++;
      continue;
    }
    const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
    if (symbol === undefined)
      throw new ExprSyntaxError(
        `unrecognized character: U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')} '${c}' (${position(source, start)})`,
      );
    tokens.push({ kind: 'operator', value: symbol, at: start });
    i += symbol.length;
  }
  tokens.push({ kind: 'eof', value: '', at: source.length });
  return tokens;
}

function readQuoted(source: string, from: number, quote: string): [string, number] {
  let out = '';
  let i = from + 1;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === quote) return [out, i + 1];
    if (c === '\n') break;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (next in ESCAPES) {
        out += ESCAPES[next];
        i += 2;
        continue;
      }
      const unicode = /^(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2}))/.exec(source.slice(i + 1));
      if (unicode !== null) {
        out += String.fromCodePoint(Number.parseInt(unicode[1] ?? unicode[2] ?? unicode[3] ?? '0', 16));
        i += 1 + unicode[0].length;
        continue;
      }
      throw new ExprSyntaxError(`invalid char escape (${position(source, i)})`);
    }
    out += c;
    i++;
  }
  throw new ExprSyntaxError(`literal not terminated (${position(source, from)})`);
}

/** `1:5` style position for messages (expr reports line:column). */
export function position(source: string, at: number): string {
  const before = source.slice(0, at).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}
