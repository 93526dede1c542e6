import { describe, expect, it } from 'vitest';
import { AnswerIndex, fillerText, splitTokens, validateAnswerBook } from '../../../emulator/answers.js';

const BOOK = {
  items: [
    { prompt: 'What is 2 + 2?', correct: '4', wrong: '5' },
    { prompt: 'Name a primary colour.', correct: 'Red.', wrong: 'Purple.' },
  ],
};

describe('answer book', () => {
  it.each([0, 0.3, 0.7, 1])(
    'when accuracy is %s then the share of correct answers over 5000 requests is within 4 binomial sigmas',
    (accuracy) => {
      const index = new AnswerIndex(BOOK);
      const count = 5000;
      const correct = Array.from({ length: count }, (_, request) =>
        index.choose('What is 2 + 2?', accuracy, 11, request),
      ).filter((answer) => answer.source === 'correct').length;
      const sigma = Math.sqrt(count * accuracy * (1 - accuracy));
      expect(Math.abs(correct - count * accuracy)).toBeLessThanOrEqual(4 * sigma);
    },
  );

  it.each([
    {
      when: 'the prompt matches after trimming',
      prompt: '  Name a primary colour.\n',
      source: 'correct',
      text: 'Red.',
    },
    {
      when: 'the prompt differs in case',
      prompt: 'name a primary colour.',
      source: 'filler',
      text: undefined,
    },
    { when: 'the prompt is unknown', prompt: 'Hello', source: 'filler', text: undefined },
  ])('when $when then the answer is $source', ({ prompt, source, text }) => {
    expect(new AnswerIndex(BOOK).choose(prompt, 1, 1, 0)).toEqual(
      text === undefined ? { source } : { source, text },
    );
  });

  it('when the same request is answered twice then the choice is the same', () => {
    const index = new AnswerIndex(BOOK);
    const first = Array.from(
      { length: 50 },
      (_, request) => index.choose('What is 2 + 2?', 0.5, 9, request).source,
    );
    const second = Array.from(
      { length: 50 },
      (_, request) => index.choose('What is 2 + 2?', 0.5, 9, request).source,
    );
    expect(second).toEqual(first);
  });

  it.each([1, 2, 17, 300])(
    'when filler of %i tokens is asked then it has exactly that many tokens, the same each time',
    (tokens) => {
      const text = fillerText(4, 2, tokens);
      expect(splitTokens(text)).toHaveLength(tokens);
      expect(fillerText(4, 2, tokens)).toBe(text);
    },
  );

  it.each([
    { when: 'items is missing', book: {}, message: 'answerBook.items is required' },
    {
      when: 'an answer is blank',
      book: { items: [{ prompt: 'p', correct: '  ', wrong: 'w' }] },
      message: 'answerBook.items.0.correct must contain a non-blank text',
    },
    {
      when: 'a field is unknown',
      book: { items: [{ prompt: 'p', correct: 'c', wrong: 'w', extra: 1 }] },
      message: 'answerBook.items.0.extra is not a known field',
    },
    {
      when: 'wrong is missing',
      book: { items: [{ prompt: 'p', correct: 'c' }] },
      message: 'answerBook.items.0.wrong is required',
    },
  ])('when $when then validation says "$message"', ({ book, message }) => {
    expect(() => validateAnswerBook(book)).toThrow(message);
  });
});
