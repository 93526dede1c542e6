// Contains: the answer holds `expected` (any of a list, or all of them), whitespace-folded, case-insensitive by default.
import { defineScorer, fail, GENERIC_WRONG, pass, TEXT_OR_TEXTS } from './scorer.js';
import { quote, references, stripMarkdown } from './text.js';

export interface ContainsOptions {
  /** @default false */
  readonly caseSensitive?: boolean;
  /** With a list: whether one text is enough or all are needed. @default "any" */
  readonly mode?: 'any' | 'all';
}

const fold = (text: string, caseSensitive: boolean): string => {
  const flat = stripMarkdown(text).replace(/\s+/g, ' ').trim();
  return caseSensitive ? flat : flat.toLowerCase();
};

export const containsScorer = defineScorer<string | string[], ContainsOptions>({
  type: 'contains',
  description: 'the answer contains `expected` (with a list: any of them, or all with mode: all)',
  options: { caseSensitive: { type: 'boolean' }, mode: { enum: ['any', 'all'] } },
  expected: TEXT_OR_TEXTS,
  score(answer, expected, options) {
    const caseSensitive = options.caseSensitive === true;
    const text = fold(answer, caseSensitive);
    const refs = references(expected);
    const found = refs.filter((ref) => text.includes(fold(ref, caseSensitive)));
    const missing = refs.filter((ref) => !found.includes(ref));
    if (options.mode === 'all') {
      return missing.length === 0
        ? pass(`contains all of ${refs.map(quote).join(', ')}`)
        : fail(`${quote(answer)} lacks ${missing.map(quote).join(', ')}`);
    }
    return found.length > 0
      ? pass(`contains ${quote(found[0]!)}`)
      : fail(`${quote(answer)} contains none of ${refs.map(quote).join(', ')}`);
  },
  correctAnswer: (expected, options) => joinAll(expected, options),
  wrongAnswer: () => GENERIC_WRONG,
});

function joinAll(expected: string | string[], options: ContainsOptions): string {
  const refs = references(expected);
  return options.mode === 'all' ? refs.join(', ') : refs[0]!;
}
