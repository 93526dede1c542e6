// Exact match (after trimming) and normalized match (case, whitespace, punctuation and markdown folded, each optional).
import { defineScorer, fail, GENERIC_WRONG, pass, TEXT_OR_TEXTS } from './scorer.js';
import { normalizeText, quote, references, type NormalizeOptions } from './text.js';

export const exactScorer = defineScorer<string | string[], Record<string, never>>({
  type: 'exact',
  description: 'the answer, trimmed, equals `expected` (or one of a list) character for character',
  options: {},
  expected: TEXT_OR_TEXTS,
  score(answer, expected) {
    const text = answer.trim();
    const hit = references(expected).find((ref) => ref.trim() === text);
    return hit === undefined
      ? fail(`${quote(answer)} is not exactly ${quote(references(expected)[0] ?? '')}`)
      : pass(`exactly ${quote(hit)}`);
  },
  correctAnswer: (expected) => references(expected)[0],
  wrongAnswer: () => GENERIC_WRONG,
});

const flag = { type: 'boolean' };

export const normalizedScorer = defineScorer<string | string[], NormalizeOptions>({
  type: 'normalized',
  description:
    'the answer equals `expected` once case, whitespace, punctuation and markdown are folded (each can be turned off)',
  options: { case: flag, whitespace: flag, punctuation: flag, markdown: flag },
  expected: TEXT_OR_TEXTS,
  score(answer, expected, options) {
    const text = normalizeText(answer, options);
    const hit = references(expected).find((ref) => normalizeText(ref, options) === text);
    return hit === undefined
      ? fail(`${quote(answer)} does not match ${quote(references(expected)[0] ?? '')} once normalized`)
      : pass(`matches ${quote(hit)} once normalized`);
  },
  check(expected, options) {
    const empty = references(expected).find((ref) => normalizeText(ref, options) === '');
    return empty === undefined
      ? undefined
      : { field: 'expected', message: `${quote(empty)} is empty once normalized` };
  },
  correctAnswer: (expected) => references(expected)[0],
  wrongAnswer: () => GENERIC_WRONG,
});
