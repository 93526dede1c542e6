import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetError,
  defaultDataset,
  loadDataset,
  loadDatasets,
  parseDataset,
  type DatasetProblem,
} from '../../../metrics-provider/quality/index.js';

function problemsOf(text: string, file: string): DatasetProblem[] {
  try {
    parseDataset(text, file);
  } catch (error) {
    if (error instanceof DatasetError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a DatasetError');
}

const GOOD_YAML = `name: small
description: two items
items:
  - id: add
    messages:
      - role: user
        content: What is 1 + 1?
    expected: 2
    scorer: { type: numeric }
  - id: capital
    prompt: "The capital of Italy is"
    expected: Rome
    weight: 2
    tags: [facts]
`;

describe('parsing datasets', () => {
  it('when a YAML dataset is valid then items get defaults and their lines', () => {
    const dataset = parseDataset(GOOD_YAML, 'small.yaml');
    expect(dataset.name).toBe('small');
    expect(dataset.description).toBe('two items');
    expect(dataset.items.map((i) => [i.id, i.weight, i.tags, i.scorer, i.source.line])).toEqual([
      ['add', 1, [], { type: 'numeric' }, 4],
      ['capital', 2, ['facts'], { type: 'normalized' }, 10],
    ]);
  });

  it('when the YAML is a bare list then the file name is the dataset name', () => {
    const dataset = parseDataset('- id: a\n  prompt: Say hi\n  expected: hi\n', 'greetings.yml');
    expect(dataset.name).toBe('greetings');
    expect(dataset.items).toHaveLength(1);
  });

  it('when a JSONL dataset is valid then each line is an item', () => {
    const text = [
      '{"id":"a","prompt":"2+2=","expected":4,"scorer":{"type":"numeric"}}',
      '',
      '{"id":"b","messages":[{"role":"user","content":"Capital of France?"}],"expected":"Paris"}',
    ].join('\n');
    const dataset = parseDataset(text, 'mixed.jsonl');
    expect(dataset.items.map((i) => [i.id, i.source.line])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
  });
});

describe('dataset validation errors name the file, line and field', () => {
  it.each([
    {
      when: 'a scorer option is negative in YAML',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    prompt: x\n    expected: 1\n    scorer:\n      type: numeric\n      relative: -0.5\n',
      problem: { file: 'bad.yaml', line: 7, field: 'items.0.scorer.relative', message: 'must be >= 0' },
    },
    {
      when: 'a field is unknown in YAML',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    prompt: x\n    expected: y\n    expectd: z\n',
      problem: { file: 'bad.yaml', line: 5, field: 'items.0.expectd', message: 'is not a known field' },
    },
    {
      when: 'a message has a bad role in the second item',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    prompt: x\n    expected: y\n  - id: b\n    messages:\n      - role: robot\n        content: hi\n    expected: y\n',
      problem: {
        file: 'bad.yaml',
        line: 7,
        field: 'items.1.messages.0.role',
        message: 'must be one of system, user, assistant',
      },
    },
    {
      when: 'expected is missing',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    prompt: x\n',
      problem: { file: 'bad.yaml', line: 2, field: 'items.0.expected', message: 'is required' },
    },
    {
      when: 'an item has both messages and prompt',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    prompt: x\n    messages: [{ role: user, content: y }]\n    expected: z\n',
      problem: {
        file: 'bad.yaml',
        line: 2,
        field: 'items.0',
        message: 'needs exactly one of messages (chat) and prompt (completion)',
      },
    },
    {
      when: 'the scorer type is unknown in JSONL',
      file: 'bad.jsonl',
      text: '{"id":"a","prompt":"x","expected":"y"}\n{"id":"b","prompt":"x","expected":"y","scorer":{"type":"llm"}}\n',
      problem: {
        file: 'bad.jsonl',
        line: 2,
        field: 'scorer.type',
        message: 'must be one of exact, normalized, contains, regex, numeric, choice, json, f1',
      },
    },
    {
      when: 'a JSONL line is not JSON',
      file: 'bad.jsonl',
      text: '{"id":"a","prompt":"x","expected":"y"}\n{"id": "b",\n',
      problem: { file: 'bad.jsonl', line: 2, field: '', message: 'is not valid JSON' },
    },
    {
      when: 'an id is used twice',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    prompt: x\n    expected: y\n  - id: a\n    prompt: z\n    expected: y\n',
      problem: { file: 'bad.yaml', line: 5, field: 'items.1.id', message: '"a" is already used on line 2' },
    },
    {
      when: 'the given answer does not score 1',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    prompt: x\n    expected: 42\n    answer: forty-two\n    scorer: { type: numeric }\n',
      problem: { file: 'bad.yaml', line: 5, field: 'items.0.answer', message: 'scores 0.00, not 1' },
    },
    {
      when: 'the given wrong answer passes',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    prompt: x\n    expected: 42\n    wrong: "42"\n    scorer: { type: numeric }\n',
      problem: { file: 'bad.yaml', line: 5, field: 'items.0.wrong', message: 'should fail' },
    },
    {
      when: 'the YAML repeats a key',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    id: b\n    prompt: x\n',
      problem: {
        file: 'bad.yaml',
        line: 3,
        field: '',
        message: 'is not valid YAML: Map keys must be unique',
      },
    },
    {
      when: 'a YAML flow list is never closed',
      file: 'bad.yaml',
      text: 'items:\n  - id: a\n    prompt: [unclosed\n',
      problem: { file: 'bad.yaml', line: 4, field: '', message: 'is not valid YAML' },
    },
    {
      when: 'the file name is no dataset name',
      file: 'My Set.yaml',
      text: '- id: a\n  prompt: x\n  expected: y\n',
      problem: { file: 'My Set.yaml', line: 1, field: 'name', message: 'is not a valid dataset name' },
    },
  ])(
    'when $when then the problem is $problem.file:$problem.line $problem.field',
    ({ text, file, problem }) => {
      const problems = problemsOf(text, file);
      expect(problems).toHaveLength(1);
      const [found] = problems;
      expect({ ...found, message: undefined }).toEqual({ ...problem, message: undefined });
      expect(found!.message).toContain(problem.message);
    },
  );

  it('when several items are wrong then every problem is reported at once, in the message too', () => {
    const text = 'items:\n  - id: a\n    prompt: x\n  - id: "b c"\n    prompt: y\n    expected: z\n';
    try {
      parseDataset(text, 'two.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as DatasetError).message).toBe(
        'invalid dataset: two.yaml:2: items.0.expected is required; two.yaml:4: items.1.id must match pattern "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"',
      );
    }
  });
});

describe('loading datasets from files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quality-datasets-'));
    await writeFile(join(dir, 'small.yaml'), GOOD_YAML);
    await writeFile(join(dir, 'lines.jsonl'), '{"id":"a","prompt":"x","expected":"y"}\n');
    await writeFile(join(dir, 'notes.txt'), 'not a dataset');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('when a folder holds datasets then they are loaded by name and other files ignored', async () => {
    const datasets = await loadDatasets(dir);
    expect([...datasets.keys()]).toEqual(['lines', 'small']);
  });

  it('when one file is loaded then errors name its path', async () => {
    await writeFile(join(dir, 'broken.yaml'), 'items:\n  - id: a\n');
    await expect(loadDataset(join(dir, 'broken.yaml'))).rejects.toThrow(`${join(dir, 'broken.yaml')}:2:`);
  });

  it('when the default dataset is loaded then it has about 40 valid items of every family', () => {
    const dataset = defaultDataset();
    expect(dataset.name).toBe('default');
    expect(dataset.items.length).toBeGreaterThanOrEqual(35);
    const types = new Set(dataset.items.map((i) => i.scorer.type));
    expect([...types].sort()).toEqual([
      'choice',
      'contains',
      'exact',
      'f1',
      'json',
      'normalized',
      'numeric',
      'regex',
    ]);
    expect(dataset.items.some((i) => i.prompt !== undefined)).toBe(true);
  });
});
