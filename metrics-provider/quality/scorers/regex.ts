// Regex: the answer matches a regular expression (`expected` is the pattern; `flags` as in JavaScript).
import { defineScorer, fail, GENERIC_WRONG, pass } from './scorer.js';
import { quote } from './text.js';

export interface RegexOptions {
  /** JavaScript flags from "imsu". @default "" */
  readonly flags?: string;
}

export const regexScorer = defineScorer<string, RegexOptions>({
  type: 'regex',
  description:
    'the answer matches the regular expression `expected` (JavaScript syntax; `flags` from "imsu")',
  options: { flags: { type: 'string', pattern: '^(?!.*(.).*\\1)[imsu]*$' } },
  expected: { type: 'string', minLength: 1 },
  check(expected, options) {
    try {
      new RegExp(expected, options.flags ?? '');
      return undefined;
    } catch (error) {
      return { field: 'expected', message: `is not a valid regular expression: ${(error as Error).message}` };
    }
  },
  score(answer, expected, options) {
    const match = new RegExp(expected, options.flags ?? '').exec(answer);
    return match
      ? pass(`matches /${expected}/ at ${quote(match[0])}`)
      : fail(`${quote(answer)} does not match /${expected}/`);
  },
  correctAnswer: () => undefined,
  wrongAnswer: () => GENERIC_WRONG,
});
