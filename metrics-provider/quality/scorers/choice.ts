// Multiple choice: reads the chosen letter from "B", "(B)", "b) Paris", "Answer: B", "The correct option is **C**";
// with `choices` given, also the chosen text ("Paris"). Two different letters and no "answer" marker: no choice.
import { defineScorer, fail, pass } from './scorer.js';
import { normalizeText, quote, stripMarkdown } from './text.js';

export interface ChoiceOptions {
  /** The valid letters. @default the keys of `choices`, else "ABCDE" */
  readonly letters?: string;
  /** Letter -> the option's text, so an answer giving the text alone is read too. */
  readonly choices?: Readonly<Record<string, string>>;
}

function validLetters(options: ChoiceOptions): string {
  const letters = options.letters ?? (options.choices ? Object.keys(options.choices).join('') : 'ABCDE');
  return letters.toUpperCase();
}

/** The letter the answer chooses, or undefined (with why). */
export function chosenLetter(answer: string, options: ChoiceOptions): { letter?: string; why: string } {
  const letters = validLetters(options);
  const text = stripMarkdown(answer).trim();
  const valid = (letter: string | undefined): string | undefined => {
    const upper = letter?.toUpperCase();
    return upper !== undefined && letters.includes(upper) ? upper : undefined;
  };

  // The whole answer is a letter: "B", "(b)", "B.", "b)".
  const alone = /^\(?([A-Za-z])\)?[.):]?$/.exec(text);
  if (alone) return { letter: valid(alone[1]), why: 'the answer is a letter' };
  // A marker: "Answer: B", "the correct option is (C)", "Choice - d".
  // After a colon any case; otherwise a capital or a bracketed letter, so "the answer is a city" is no choice.
  const marked =
    /\b(?:answer|option|choice)\s*[:=]\s*\(?([A-Za-z])\)?(?![\p{L}\p{N}])/iu.exec(text) ??
    /\b(?:[Aa]nswer|[Oo]ption|[Cc]hoice|ANSWER|OPTION|CHOICE)(?:\s+is)?\s+(?:\(([A-Za-z])\)|([A-Za-z])\)|([A-Z]))(?![\p{L}\p{N}])/u.exec(
      text,
    );
  const markedLetter = marked?.slice(1).find((group) => group !== undefined);
  if (valid(markedLetter)) return { letter: valid(markedLetter), why: 'after an answer marker' };
  // The answer starts with a labelled option: "b) Paris", "(B) Paris", "C. Paris", "D: Paris".
  const leading = /^\(?([A-Za-z])[).:]\s/.exec(text) ?? /^\(([A-Za-z])\)/.exec(text);
  if (leading && valid(leading[1])) return { letter: valid(leading[1]), why: 'the answer starts with it' };
  // Capital letters standing alone in prose: one distinct valid letter is the choice.
  const standalone = new Set(
    [...text.matchAll(/(?<![\p{L}\p{N}'])\(?([A-Z])\)?(?![\p{L}\p{N}'])/gu)]
      .map((m) => valid(m[1]))
      .filter((x): x is string => x !== undefined),
  );
  if (standalone.size === 1)
    return { letter: [...standalone][0]!, why: 'the only option letter in the answer' };
  if (standalone.size > 1) return { why: `several option letters (${[...standalone].join(', ')})` };
  // The text of exactly one option.
  if (options.choices) {
    const said = normalizeText(text);
    const named = Object.entries(options.choices).filter(([, choice]) =>
      ` ${said} `.includes(` ${normalizeText(choice)} `),
    );
    if (named.length === 1) return { letter: named[0]![0].toUpperCase(), why: 'the text of one option' };
  }
  return { why: 'no option letter' };
}

export const choiceScorer = defineScorer<string, ChoiceOptions>({
  type: 'choice',
  description:
    'multiple choice: the letter the answer chooses ("B", "(B)", "Answer: B", "b) ...") is `expected`',
  options: {
    letters: { type: 'string', pattern: '^[A-Za-z]{2,26}$' },
    choices: {
      type: 'object',
      minProperties: 2,
      propertyNames: { pattern: '^[A-Za-z]$' },
      additionalProperties: { type: 'string', minLength: 1 },
    },
  },
  expected: { type: 'string', pattern: '^[A-Za-z]$' },
  check(expected, options) {
    return validLetters(options).includes(expected.toUpperCase())
      ? undefined
      : { field: 'expected', message: `must be one of the letters ${validLetters(options)}` };
  },
  score(answer, expected, options) {
    const { letter, why } = chosenLetter(answer, options);
    if (letter === undefined) return fail(`no choice read from ${quote(answer)}: ${why}`);
    return letter === expected.toUpperCase()
      ? pass(`chose ${letter} (${why})`)
      : fail(`chose ${letter}, expected ${expected.toUpperCase()} (${why})`);
  },
  correctAnswer: (expected) => expected.toUpperCase(),
  wrongAnswer(expected, options) {
    const letters = validLetters(options);
    return letters[(letters.indexOf(expected.toUpperCase()) + 1) % letters.length]!;
  },
});
