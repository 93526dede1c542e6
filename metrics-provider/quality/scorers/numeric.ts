// Numeric: the first (or last) number in the answer equals `expected` within an absolute or relative tolerance.
// Reads "It is 42 km.", "4.2e1", "1,234.5", "−3 °C", "**42**"; a hyphen inside a word ("COVID-19") is not a sign.
import { defineScorer, fail, pass } from './scorer.js';
import { quote, stripMarkdown } from './text.js';

export interface NumericOptions {
  /** Largest allowed |answer - expected|. @default 0 */
  readonly absolute?: number;
  /** Largest allowed |answer - expected| / |expected|. @default 0 */
  readonly relative?: number;
  /** Which number of the answer counts. @default "first" */
  readonly position?: 'first' | 'last';
}

// Thousands separators: comma, apostrophe, underscore, no-break and thin spaces; never a plain space or a dot.
const NUMBER =
  /(?<![\p{L}\p{N}])([-+\u2212])?((?:\d{1,3}(?:[,'_\u00a0\u2009\u202f]\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE]([-+]?\d+))?/gu;

/** The numbers of a text, in order. */
export function numbersIn(text: string): number[] {
  const found: number[] = [];
  for (const match of stripMarkdown(text).matchAll(NUMBER)) {
    const sign = match[1] === '-' || match[1] === '\u2212' ? '-' : '';
    const digits = match[2]!.replace(/[,'_\u00a0\u2009\u202f]/g, '');
    const value = Number(`${sign}${digits}${match[3] === undefined ? '' : `e${match[3]}`}`);
    if (Number.isFinite(value)) found.push(value);
  }
  return found;
}

function tolerance(expected: number, options: NumericOptions): number {
  const floor = 1e-9 * Math.max(1, Math.abs(expected));
  return Math.max(options.absolute ?? 0, (options.relative ?? 0) * Math.abs(expected), floor);
}

export const numericScorer = defineScorer<number, NumericOptions>({
  type: 'numeric',
  description:
    'the first number of the answer (units, thousands separators and exponents allowed) is `expected` within tolerance',
  options: {
    absolute: { type: 'number', minimum: 0 },
    relative: { type: 'number', minimum: 0 },
    position: { enum: ['first', 'last'] },
  },
  expected: { type: 'number' },
  score(answer, expected, options) {
    const numbers = numbersIn(answer);
    const value = options.position === 'last' ? numbers.at(-1) : numbers[0];
    if (value === undefined) return fail(`no number in ${quote(answer)}`);
    const allowed = tolerance(expected, options);
    const off = Math.abs(value - expected);
    return off <= allowed
      ? pass(`${value} is ${expected}${off > 0 ? ` within ${allowed}` : ''}`)
      : fail(`${value} is not ${expected} (off by ${Number(off.toPrecision(6))}, allowed ${allowed})`);
  },
  correctAnswer: (expected) => String(expected),
  wrongAnswer(expected, options) {
    let step = Math.max(1, Math.abs(expected));
    while (step <= 2 * tolerance(expected, options)) step *= 10;
    return String(Number((expected + step).toPrecision(12)));
  },
});
