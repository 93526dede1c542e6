import { describe, expect, it } from 'vitest';
import { defaultScorers, type ScorerSpec } from '../../../metrics-provider/quality/index.js';

const score = (scorer: ScorerSpec, expected: unknown, answer: string) =>
  defaultScorers.score({ scorer, expected }, answer).score;

describe('exact and normalized match', () => {
  it.each([
    { when: 'the answer is the text', scorer: 'exact', expected: 'Au', answer: 'Au', score: 1 },
    {
      when: 'the answer has surrounding whitespace',
      scorer: 'exact',
      expected: 'Au',
      answer: '  Au\n',
      score: 1,
    },
    { when: 'exact and the case differs', scorer: 'exact', expected: 'Au', answer: 'au', score: 0 },
    { when: 'exact and a period follows', scorer: 'exact', expected: 'Au', answer: 'Au.', score: 0 },
    {
      when: 'exact with a list and one matches',
      scorer: 'exact',
      expected: ['Au', 'gold'],
      answer: 'gold',
      score: 1,
    },
    {
      when: 'normalized and the case differs',
      scorer: 'normalized',
      expected: 'Jane Austen',
      answer: 'jane austen',
      score: 1,
    },
    {
      when: 'normalized with extra whitespace inside',
      scorer: 'normalized',
      expected: 'Jane Austen',
      answer: ' Jane \n  Austen ',
      score: 1,
    },
    {
      when: 'normalized with punctuation',
      scorer: 'normalized',
      expected: 'Jane Austen',
      answer: 'Jane Austen.',
      score: 1,
    },
    {
      when: 'normalized with markdown bold',
      scorer: 'normalized',
      expected: 'Mars',
      answer: '**Mars**',
      score: 1,
    },
    { when: 'normalized with a heading', scorer: 'normalized', expected: 'Mars', answer: '# Mars', score: 1 },
    { when: 'normalized keeps decimals', scorer: 'normalized', expected: '3.5', answer: '35', score: 0 },
    {
      when: 'normalized and a word differs',
      scorer: 'normalized',
      expected: 'Mars',
      answer: 'Venus',
      score: 0,
    },
    {
      when: 'normalized and more words',
      scorer: 'normalized',
      expected: 'Mars',
      answer: 'It is Mars',
      score: 0,
    },
  ])('when $when then the score is $score', ({ scorer, expected, answer, score: want }) => {
    expect(score({ type: scorer }, expected, answer)).toBe(want);
  });

  it('when case folding is turned off then a case difference fails', () => {
    expect(score({ type: 'normalized', case: false }, 'Mars', 'mars')).toBe(0);
  });
});

describe('contains and regex', () => {
  it.each([
    {
      when: 'the text is inside',
      scorer: { type: 'contains' },
      expected: 'carbon dioxide',
      answer: 'It is Carbon  Dioxide.',
      score: 1,
    },
    {
      when: 'one of a list is inside',
      scorer: { type: 'contains' },
      expected: ['carbon dioxide', 'CO2'],
      answer: 'CO2',
      score: 1,
    },
    {
      when: 'case-sensitive and the case differs',
      scorer: { type: 'contains', caseSensitive: true },
      expected: 'CO2',
      answer: 'co2',
      score: 0,
    },
    {
      when: 'mode all and one is missing',
      scorer: { type: 'contains', mode: 'all' },
      expected: ['red', 'blue'],
      answer: 'red',
      score: 0,
    },
    {
      when: 'mode all and all are there',
      scorer: { type: 'contains', mode: 'all' },
      expected: ['red', 'blue'],
      answer: 'blue and red',
      score: 1,
    },
    {
      when: 'nothing is inside',
      scorer: { type: 'contains' },
      expected: 'oxygen',
      answer: 'nitrogen',
      score: 0,
    },
    {
      when: 'the regex matches',
      scorer: { type: 'regex' },
      expected: '\\bEUR\\b',
      answer: 'The code is EUR.',
      score: 1,
    },
    {
      when: 'the regex needs a word boundary',
      scorer: { type: 'regex' },
      expected: '\\bEUR\\b',
      answer: 'EURO',
      score: 0,
    },
    {
      when: 'the regex is case-insensitive',
      scorer: { type: 'regex', flags: 'i' },
      expected: '^eur$',
      answer: 'EUR',
      score: 1,
    },
  ])('when $when then the score is $score', ({ scorer, expected, answer, score: want }) => {
    expect(score(scorer, expected, answer)).toBe(want);
  });
});

describe('numeric with tolerance', () => {
  it.each([
    { when: 'the number has a unit after it', answer: 'It is 42 km.', expected: 42, options: {}, score: 1 },
    { when: 'the number is in exponent form', answer: '4.2e1', expected: 42, options: {}, score: 1 },
    {
      when: 'the number has thousands separators',
      answer: 'About 300,000 km/s',
      expected: 300000,
      options: {},
      score: 1,
    },
    { when: 'separators are apostrophes', answer: "1'234'567", expected: 1234567, options: {}, score: 1 },
    { when: 'the number is bold', answer: '**156**', expected: 156, options: {}, score: 1 },
    {
      when: 'the number is negative with a unicode minus',
      answer: '\u22123 °C',
      expected: -3,
      options: {},
      score: 1,
    },
    { when: 'a hyphen is inside a word', answer: 'COVID-19', expected: 19, options: {}, score: 1 },
    { when: 'a comma is a list, not a separator', answer: '3, 4', expected: 3, options: {}, score: 1 },
    {
      when: 'the first number is not the answer',
      answer: 'In 2024 it was 42',
      expected: 42,
      options: {},
      score: 0,
    },
    {
      when: 'position last reads the last number',
      answer: 'In 2024 it was 42',
      expected: 42,
      options: { position: 'last' },
      score: 1,
    },
    {
      when: 'within the absolute tolerance',
      answer: '16.08 km',
      expected: 16.1,
      options: { absolute: 0.05 },
      score: 1,
    },
    {
      when: 'beyond the absolute tolerance',
      answer: '16.2 km',
      expected: 16.1,
      options: { absolute: 0.05 },
      score: 0,
    },
    {
      when: 'within the relative tolerance',
      answer: '30.5',
      expected: 30.48,
      options: { relative: 0.01 },
      score: 1,
    },
    {
      when: 'beyond the relative tolerance',
      answer: '31',
      expected: 30.48,
      options: { relative: 0.01 },
      score: 0,
    },
    { when: 'floating point noise', answer: '0.30000000000000004', expected: 0.3, options: {}, score: 1 },
    { when: 'there is no number', answer: 'forty-two', expected: 42, options: {}, score: 0 },
    { when: 'the number is a leading decimal', answer: '.5', expected: 0.5, options: {}, score: 1 },
  ])('when $when then the score is $score', ({ answer, expected, options, score: want }) => {
    expect(score({ type: 'numeric', ...options }, expected, answer)).toBe(want);
  });
});

describe('multiple choice', () => {
  const choices = { A: 'Berlin', B: 'Paris', C: 'Madrid', D: 'Rome' };
  it.each([
    { when: 'the answer is the letter', answer: 'B', score: 1 },
    { when: 'the letter is in brackets', answer: '(B)', score: 1 },
    { when: 'the letter is lower case with a bracket', answer: 'b) Paris', score: 1 },
    { when: 'the answer follows a marker', answer: 'Answer: B', score: 1 },
    { when: 'a lower-case letter follows a colon', answer: 'answer: b', score: 1 },
    { when: 'the letter is in prose', answer: 'I think the correct option is **B**.', score: 1 },
    { when: 'the letter stands alone in prose', answer: 'Paris is the capital, so B.', score: 1 },
    { when: 'the answer is the option text', answer: 'Paris', score: 1 },
    { when: 'a wrong letter', answer: 'C', score: 0 },
    { when: 'a wrong letter with its text', answer: 'C. Madrid', score: 0 },
    { when: 'two letters in prose', answer: 'Either A or B', score: 0 },
    { when: 'the article "a" after a marker', answer: 'The answer is a city in France', score: 0 },
    { when: 'no letter and no option text', answer: 'I do not know', score: 0 },
  ])('when $when then the score is $score', ({ answer, score: want }) => {
    expect(score({ type: 'choice', choices }, 'B', answer)).toBe(want);
  });
});

describe('JSON against a schema', () => {
  const schema = {
    type: 'object',
    required: ['name', 'age'],
    properties: { name: { type: 'string' }, age: { type: 'integer' } },
  };
  const expected = { name: 'Ada Lovelace', age: 36 };
  it.each([
    { when: 'the answer is bare JSON', answer: '{"name":"Ada Lovelace","age":36}', score: 1 },
    {
      when: 'the JSON is in a markdown fence',
      answer: '```json\n{"name": "Ada Lovelace", "age": 36}\n```',
      score: 1,
    },
    { when: 'a fence without a language', answer: '```\n{"name": "Ada Lovelace", "age": 36}\n```', score: 1 },
    {
      when: 'prose comes first',
      answer: 'Here it is: {"name": "Ada Lovelace", "age": 36} Hope that helps.',
      score: 1,
    },
    {
      when: 'a brace in prose comes before the JSON',
      answer: 'Use {braces}: {"name":"Ada Lovelace","age":36}',
      score: 1,
    },
    { when: 'extra fields are present', answer: '{"name":"Ada Lovelace","age":36,"born":1815}', score: 1 },
    { when: 'the age is a string', answer: '{"name":"Ada Lovelace","age":"36"}', score: 0 },
    { when: 'a field is missing', answer: '{"name":"Ada Lovelace"}', score: 0 },
    { when: 'a value differs', answer: '{"name":"Ada Byron","age":36}', score: 0 },
    { when: 'the JSON is cut off', answer: '{"name":"Ada Lovelace","age":', score: 0 },
    { when: 'there is no JSON', answer: 'Ada Lovelace, 36', score: 0 },
  ])('when $when then the score is $score', ({ answer, score: want }) => {
    expect(score({ type: 'json', schema }, expected, answer)).toBe(want);
  });

  it('when match is exact then extra fields fail', () => {
    expect(
      score({ type: 'json', schema, match: 'exact' }, expected, '{"name":"Ada Lovelace","age":36,"x":1}'),
    ).toBe(0);
  });

  it('when only a schema is given then any valid value passes', () => {
    expect(score({ type: 'json', schema: { type: 'array' } }, undefined, 'Sure: [1, 2]')).toBe(1);
  });
});

describe('token F1', () => {
  it.each([
    {
      when: 'the answer is the reference',
      answer: 'Domain Name System',
      expected: 'Domain Name System',
      score: 1,
    },
    {
      when: 'articles and punctuation differ',
      answer: 'The domain name system.',
      expected: 'Domain Name System',
      score: 1,
    },
    {
      when: 'half the tokens overlap',
      answer: 'Domain Name',
      expected: 'Domain Name System Server',
      score: 2 / 3,
    },
    { when: 'nothing overlaps', answer: 'Sorry, no idea.', expected: 'Domain Name System', score: 0 },
    {
      when: 'the best of several references counts',
      answer: 'Paris',
      expected: ['London', 'Paris'],
      score: 1,
    },
  ])('when $when then F1 is $score', ({ answer, expected, score: want }) => {
    expect(score({ type: 'f1' }, expected, answer)).toBeCloseTo(want, 10);
  });
});

describe('scorer option validation', () => {
  it.each([
    {
      when: 'the type is unknown',
      spec: { type: 'judge' },
      expected: 'x',
      field: 'scorer.type',
      message: 'must be one of',
    },
    {
      when: 'an option is unknown',
      spec: { type: 'numeric', tolerance: 1 },
      expected: 1,
      field: 'scorer.tolerance',
      message: 'is not a known option',
    },
    {
      when: 'a tolerance is negative',
      spec: { type: 'numeric', relative: -1 },
      expected: 1,
      field: 'scorer.relative',
      message: 'must be >= 0',
    },
    {
      when: 'numeric expects a text',
      spec: { type: 'numeric' },
      expected: 'forty',
      field: 'expected',
      message: 'must be number',
    },
    {
      when: 'the regex does not compile',
      spec: { type: 'regex' },
      expected: '(',
      field: 'expected',
      message: 'not a valid regular expression',
    },
    {
      when: 'a choice letter is not offered',
      spec: { type: 'choice', letters: 'ABC' },
      expected: 'D',
      field: 'expected',
      message: 'one of the letters ABC',
    },
    {
      when: 'the JSON schema is invalid',
      spec: { type: 'json', schema: { type: 'banana' } },
      expected: 1,
      field: 'scorer.schema',
      message: 'not a valid JSON Schema',
    },
    {
      when: 'exact gets a number',
      spec: { type: 'exact' },
      expected: 5,
      field: 'expected',
      message: 'a text or a list of texts',
    },
    {
      when: 'expected is missing',
      spec: { type: 'exact' },
      expected: undefined,
      field: 'expected',
      message: 'is required',
    },
  ])('when $when then the problem names $field', ({ spec, expected, field, message }) => {
    const problems = defaultScorers.validate(spec, expected);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe(field);
    expect(problems[0]!.message).toContain(message);
  });

  it('when the spec is valid then there are no problems', () => {
    expect(defaultScorers.validate({ type: 'numeric', relative: 0.01, position: 'last' }, 3)).toEqual([]);
  });
});
