// Kubernetes JSONPath as Argo's web provider applies it: first match only, missing keys are errors, and the
// syntax this runner does not evaluate is refused with a clear message.
import { describe, expect, it } from 'vitest';
import { parseJsonPath, type Json } from '../../../analysis-runner/index.js';
import { goJson } from '../../../analysis-runner/jsonpath.js';

const answer: Json = {
  verdict: 'fail',
  value: 1.42,
  ok: true,
  nothing: null,
  reason: 'p95 e2e latency: canary 1.42s vs stable 1.01s',
  checks: [
    { check: 'latency', verdict: 'pass' },
    { check: 'error-ratio', verdict: 'fail', value: 0.05 },
  ],
  empty: [],
  'a.b': 'dotted',
  labels: { 'model-name': 'llama' },
};

describe('JSONPath: the first match', () => {
  it.each([
    ['{$.verdict}', 'fail'],
    ['{.verdict}', 'fail'],
    ['{$.value}', 1.42],
    ['{.ok}', true],
    ['{.nothing}', null],
    ['{$.checks[0].verdict}', 'pass'],
    ['{$.checks[1].value}', 0.05],
    ['{$.checks[-1].check}', 'error-ratio'],
    ['{$.checks[*].verdict}', 'pass'],
    ['{$.checks[*].value}', 0.05],
    ['{.checks.*.check}', 'latency'],
    ['{$.checks[1:].check}', 'error-ratio'],
    ["{$['verdict']}", 'fail'],
    ["{$.labels['model-name']}", 'llama'],
    ['{$.labels.model-name}', 'llama'],
    ['{$.a\\.b}', 'dotted'],
    ['{$.checks[1,0].check}', 'error-ratio'],
    ['{$.checks[0]}', { check: 'latency', verdict: 'pass' }],
  ] as const)('when the path is %s then the result is %j', (path, expected) => {
    expect(parseJsonPath(path).first(answer)).toEqual(expected);
  });

  it("when the path is empty then it is Argo's default {$}: the whole answer", () => {
    expect(parseJsonPath('').first(answer)).toEqual(answer);
  });

  it('when the path has no braces then Kubernetes returns the text itself (a template bug, flagged)', () => {
    const path = parseJsonPath('$.verdict');
    expect(path.hasText).toBe(true);
    expect(path.first(answer)).toBe('$.verdict');
  });
});

describe('JSONPath: lookups that find nothing (Error measurements)', () => {
  it.each([
    ['{$.missing}', 'missing is not found'],
    ['{$.nothing.deeper}', 'deeper is not found'],
    ['{$.verdict.deeper}', 'deeper is not found'],
    ['{$.checks.verdict}', 'verdict is not found'],
    ['{$.checks[2]}', 'array index out of bounds: index 2, length 2'],
    ['{$.empty[0]}', 'array index out of bounds: index 0, length 0'],
    ['{$.verdict[0]}', 'string is not array or slice'],
    ['{$.labels[0]}', 'map[string]interface {} is not array or slice'],
    ['{$.empty[*].verdict}', 'result of web metric produced no value'],
    ["{$['a.b']}", 'a is not found'],
  ])('when the path is %s then the lookup fails with "%s"', (path, message) => {
    expect(() => parseJsonPath(path).first(answer)).toThrow(message);
  });
});

describe('JSONPath: syntax refused before any measurement', () => {
  it.each([
    [
      '{$.checks[?(@.verdict=="fail")].check}',
      'jsonPath: a filter [?(...)] is not supported by vllm-canary analyze',
    ],
    ['{..verdict}', "jsonPath: recursive descent '..' is not supported by vllm-canary analyze"],
    ['{range .checks[*]}{.verdict}{end}', "jsonPath: 'range' (range/end and literals) is not supported"],
    ['{$.verdict', 'unclosed action'],
    ['{$.checks[0}', 'unterminated array'],
    ['{$.checks[x]}', 'invalid array index x'],
    ['{$%}', "unrecognized character in action: U+0025 '%'"],
  ])('when the path is %s then parsing fails with "%s"', (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(message);
  });
});

describe("the measurement's value: Go's json.Marshal of the match", () => {
  it.each([
    ['pass', '"pass"'],
    [1.5, '1.5'],
    [null, 'null'],
    [{ b: 1, a: '<x>' }, '{"a":"\\u003cx\\u003e","b":1}'],
    [[1, 'a'], '[1,"a"]'],
  ] as const)('when the match is %j then the value is %s', (value, json) => {
    expect(goJson(value as Json)).toBe(json);
  });
});
