import { describe, expect, it } from 'vitest';
import { validateAnswerBook } from '../../../emulator/index.js';
import {
  answerBookFromDataset,
  defaultDataset,
  defaultScorers,
  lookupText,
  parseDataset,
} from '../../../metrics-provider/quality/index.js';

describe('answer book from a dataset', () => {
  const dataset = defaultDataset();
  const book = answerBookFromDataset(dataset);

  it.each(dataset.items.map((item, index) => ({ id: item.id, item, entry: book.items[index]! })))(
    'when item $id is answered correctly then it scores 1, and wrongly 0',
    ({ item, entry }) => {
      expect(entry.prompt).toBe(lookupText(item));
      expect(defaultScorers.score(item, entry.correct)).toMatchObject({ score: 1 });
      expect(defaultScorers.score(item, entry.wrong)).toMatchObject({ score: 0 });
    },
  );

  it('when the book is handed to the emulator then its schema accepts it', () => {
    expect(validateAnswerBook(book)).toBe(book);
  });

  it.each([
    {
      when: 'a chat item has a system message and two user turns',
      item: {
        messages: [
          { role: 'system' as const, content: 'Be brief.' },
          { role: 'user' as const, content: 'Hi' },
          { role: 'assistant' as const, content: 'Hello' },
          { role: 'user' as const, content: '  What is 2+2?\n' },
        ],
      },
      text: 'What is 2+2?',
    },
    { when: 'a completion item', item: { prompt: '\nQ: 2+2?\nA:' }, text: 'Q: 2+2?\nA:' },
  ])('when $when then the lookup text is the last user message or prompt, trimmed', ({ item, text }) => {
    expect(lookupText(item)).toBe(text);
  });

  it('when an item has no printable answer then the error names it and asks for answer', () => {
    const regexOnly = parseDataset(
      '- id: code\n  prompt: x\n  expected: "^EUR$"\n  scorer: { type: regex }\n',
      'r.yaml',
    );
    expect(() => answerBookFromDataset(regexOnly)).toThrow(
      'dataset r: no printable correct answer for code (r.yaml:1); add an answer field',
    );
  });
});
