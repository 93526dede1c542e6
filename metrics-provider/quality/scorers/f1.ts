// Token-level F1 for free text, as SQuAD scores it: normalized tokens, overlap counted with multiplicity, best over
// the references. The score is the F1 itself, so 0.5 and above counts as answered well enough.
import { defineScorer, GENERIC_WRONG, TEXT_OR_TEXTS } from './scorer.js';
import { references, squadTokens } from './text.js';

export function tokenF1(answer: string, reference: string): number {
  const got = squadTokens(answer);
  const want = squadTokens(reference);
  if (got.length === 0 || want.length === 0) return got.length === want.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of want) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of got) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / got.length;
  const recall = common / want.length;
  return (2 * precision * recall) / (precision + recall);
}

export const f1Scorer = defineScorer<string | string[], Record<string, never>>({
  type: 'f1',
  description: 'token-level F1 against `expected` (best of a list), after SQuAD normalization',
  options: {},
  expected: TEXT_OR_TEXTS,
  score(answer, expected) {
    let best = 0;
    let bestRef = references(expected)[0] ?? '';
    for (const ref of references(expected)) {
      const f1 = tokenF1(answer, ref);
      if (f1 > best) [best, bestRef] = [f1, ref];
    }
    return { score: best, reason: `token F1 ${best.toFixed(2)} against ${JSON.stringify(bestRef)}` };
  },
  correctAnswer: (expected) => references(expected)[0],
  wrongAnswer: () => GENERIC_WRONG,
});
