// Answer quality. The emulator knows nothing of datasets: it is handed an answer book of reference prompts with a
// correct and a wrong answer, and answers a known prompt correctly with probability `accuracy`. Unknown prompts get
// deterministic filler text, so quality checks can tell a degraded canary from a good one by its answers alone.
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { requestRandom } from './random.js';

export interface AnswerBookItem {
  /** The prompt as sent: the last user message (chat) or the prompt (completion); compared trimmed. */
  readonly prompt: string;
  readonly correct: string;
  readonly wrong: string;
}

export interface AnswerBook {
  readonly items: readonly AnswerBookItem[];
}

const text = { type: 'string', pattern: '\\S' };
const answerBookSchema = {
  type: 'object',
  required: ['items'],
  additionalProperties: false,
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['prompt', 'correct', 'wrong'],
        additionalProperties: false,
        properties: { prompt: text, correct: text, wrong: text },
      },
    },
  },
};
const validateBook = new Ajv({ allErrors: true }).compile<AnswerBook>(answerBookSchema);

/** Checks an answer book, naming each bad field (`answerBook.items.3.correct must ...`). */
export function validateAnswerBook(value: unknown): AnswerBook {
  if (validateBook(value)) return value;
  const problems = (validateBook.errors ?? []).map((error) => {
    const field = ['answerBook', ...error.instancePath.split('/').filter(Boolean)].join('.');
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    if (params.missingProperty) return `${field}.${params.missingProperty} is required`;
    if (params.additionalProperty) return `${field}.${params.additionalProperty} is not a known field`;
    if (error.keyword === 'pattern') return `${field} must contain a non-blank text`;
    return `${field} ${error.message ?? 'is invalid'}`;
  });
  throw new Error(`invalid answer book: ${problems.join('; ')}`);
}

/** Reads and validates an answer book from a JSON file. */
export async function loadAnswerBookFile(path: string): Promise<AnswerBook> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return validateAnswerBook(parsed);
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Splits text into the emulator's tokens: one word each, with the whitespace before it. */
export function splitTokens(value: string): string[] {
  return value.match(/\s*\S+/g) ?? [];
}

const FILLER_WORDS = [
  'the',
  'model',
  'answers',
  'with',
  'a',
  'plain',
  'sentence',
  'about',
  'nothing',
  'in',
  'particular',
  'while',
  'tokens',
  'arrive',
  'one',
  'by',
  'at',
  'steady',
  'pace',
  'and',
  'cache',
  'fills',
  'slowly',
  'for',
  'this',
  'request',
] as const;

/** Deterministic filler of exactly `tokens` tokens for request `requestIndex`. */
export function fillerText(seed: number, requestIndex: number, tokens: number): string {
  const random = requestRandom(seed, requestIndex, 'answer');
  const words: string[] = [];
  for (let index = 0; index < tokens; index += 1) {
    words.push(FILLER_WORDS[Math.floor(random.next() * FILLER_WORDS.length)] ?? 'the');
  }
  return words.join(' ');
}

export type AnswerSource = 'correct' | 'wrong' | 'filler';

export interface ChosenAnswer {
  readonly source: AnswerSource;
  /** The answer text; absent for filler, whose length is drawn with the latency. */
  readonly text?: string;
}

/** Looks prompts up in an answer book and draws whether a known prompt is answered correctly. */
export class AnswerIndex {
  private readonly byPrompt = new Map<string, AnswerBookItem>();

  constructor(book: AnswerBook = { items: [] }) {
    // The first item wins when a prompt appears twice, so adding items never changes earlier answers.
    for (const item of book.items) {
      const key = item.prompt.trim();
      if (!this.byPrompt.has(key)) this.byPrompt.set(key, item);
    }
  }

  get size(): number {
    return this.byPrompt.size;
  }

  /** The answer to `prompt` for request `requestIndex`: correct with probability `accuracy` on a hit, else filler. */
  choose(prompt: string, accuracy: number, seed: number, requestIndex: number): ChosenAnswer {
    const item = this.byPrompt.get(prompt.trim());
    if (!item) return { source: 'filler' };
    // The first draw of the answer stream decides correctness; filler uses the same stream only on a miss.
    const correct = requestRandom(seed, requestIndex, 'answer').next() < accuracy;
    return correct ? { source: 'correct', text: item.correct } : { source: 'wrong', text: item.wrong };
  }
}
