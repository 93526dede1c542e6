// What a scorer is: a type name, the JSON Schema of its options and of `expected`, the scoring function, and how to
// write a right and a wrong answer (for answer books and for checking a dataset against itself).
import type { Score } from '../types.js';

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface Scorer<E = unknown, O = Record<string, unknown>> {
  readonly type: string;
  readonly description: string;
  /** JSON Schema properties of the options beside `type`. */
  readonly options: Readonly<Record<string, JsonSchema>>;
  /** JSON Schema of `expected`; absent: the item needs no `expected`. */
  readonly expected?: JsonSchema;
  /** Checks beyond JSON Schema (a regex that compiles, a schema that compiles); the message names the problem. */
  readonly check?: (expected: E, options: O) => { field: 'expected' | string; message: string } | undefined;
  score(answer: string, expected: E, options: O): Score;
  /** A printable answer scored 1, when `expected` is one (else the item needs `answer`). */
  correctAnswer(expected: E, options: O): string | undefined;
  /** A plausible answer scored 0. */
  wrongAnswer(expected: E, options: O): string;
}

/** Identity with types: lets each scorer file declare its own E and O. */
export function defineScorer<E, O>(scorer: Scorer<E, O>): Scorer<E, O> {
  return scorer;
}

export const pass = (reason: string): Score => ({ score: 1, reason });
export const fail = (reason: string): Score => ({ score: 0, reason });

export const TEXT_OR_TEXTS: JsonSchema = {
  description: 'must be a text or a list of texts',
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
  ],
};

/** A generic wrong answer: no number, no choice letter, no JSON, no word of most references. */
export const GENERIC_WRONG = 'Sorry, no idea.';
