// Conditions as Argo evaluates them with expr-lang/expr v1.15: outcomes, Go-typed errors (Error measurements) and
// clear refusals of what this runner does not evaluate.
import { describe, expect, it } from 'vitest';
import {
  compileCondition,
  evalCondition,
  ExprUnsupportedError,
  type Json,
} from '../../../analysis-runner/index.js';

const composite: Json = {
  verdict: 'pass',
  score: 97.5,
  checks: [{ verdict: 'pass' }],
  reason: 'ok',
  n: null,
};

describe('expr: outcomes', () => {
  it.each([
    ['result == "pass"', 'pass', true],
    ['result == "pass"', 'inconclusive', false],
    ['result != "fail"', 'pass', true],
    ["result == 'pass'", 'pass', true],
    ['result == `pass`', 'pass', true],
    ['result > 0.5', 0.7, true],
    ['result >= 1 && result <= 2', 1, true],
    ['result < 10 || result > 100', 50, false],
    ['result == 1', 1, true],
    ['!(result == "pass")', 'fail', true],
    ['not (result == "pass")', 'fail', true],
    ['result == "pass" and true', 'pass', true],
    ['result == "x" or result == "pass"', 'pass', true],
    ['result.verdict == "pass" && result.score >= 95', composite, true],
    ['result["verdict"] == "pass"', composite, true],
    ['result.checks[0].verdict == "pass"', composite, true],
    ['result.missing == nil', composite, true],
    ['result.n == nil', composite, true],
    ['result[0] <= 0.5', [0.2], true],
    ['result[-1] == 3', [1, 2, 3], true],
    ['len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.5', [0.2], true],
    ['len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.5', [], false],
    ['len(result) == 4', 'pass', true],
    ['len(result) == 5', composite, true],
    ['result in ["pass", "inconclusive"]', 'inconclusive', true],
    ['result not in ["pass", "inconclusive"]', 'fail', true],
    ['"verdict" in result', composite, true],
    ['asInt(result) == 12', '12', true],
    ['asInt(result) == 1', 1.9, true],
    ['asFloat(result) > 1.5', '1.75', true],
    ['isNaN(asFloat(result))', 'NaN', true],
    ['isInf(result)', Number.POSITIVE_INFINITY, true],
    ['isNil(result)', null, true],
    ['isNil(42)', null, true],
    ['default(result, 5) == 5', null, true],
    ['default(result, 5) == 3', 3, true],
    ['(result.score + 2.5) / 2 == 50', composite, true],
    ['7 % 2 == 1 && 7 / 2 == 3.5 && 2 ** 3 == 8', null, true],
    ['-2 ** 2 == -4', null, true],
    ['1 + 2 * 3 == 7 && (1 + 2) * 3 == 9', null, true],
    ['result == "pass" ? true : false', 'pass', true],
    ['result ?? true', null, true],
    ['result contains "as" && result startsWith "p" && result endsWith "s"', 'pass', true],
    ['0x10 == 16 && 1_000 == 1000 && 1e3 == 1000', null, true],
    ['result == "a\\"b\\n"', 'a"b\n', true],
  ] as const)('when %s with result %j then %s', (condition, result, outcome) => {
    expect(evalCondition(condition, result as Json)).toBe(outcome);
  });
});

describe('expr: errors Argo records as an Error measurement', () => {
  it.each([
    ['result', 'pass', 'expected bool, but got string'],
    ['result.score', { score: 1 }, 'expected bool, but got float64'],
    ['len(result)', [], 'expected bool, but got int'],
    ['result == 1', 'pass', 'invalid operation: == (mismatched types string and int)'],
    ['result > "a"', 3, 'invalid operation: > (mismatched types float64 and string)'],
    ['result.verdict > 1', { verdict: 'x' }, 'invalid operation: string > int'],
    ['result % 2 == 1', 3, 'invalid operation: % (mismatched types float64 and int)'],
    ['result.verdict == "pass"', null, 'type <nil> has no field verdict'],
    ['result.verdict == "pass"', 'pass', 'type string[string] is undefined'],
    ['result.a.b == 1', { a: null }, 'cannot fetch b from <nil>'],
    ['result[3] == 1', [1], 'reflect: slice index out of range'],
    ['result["a"] == 1', [1], 'array elements can only be selected using an integer (got string)'],
    ['foo == 1', 1, 'unknown name foo'],
    ['!result', 'x', 'invalid operation: ! (mismatched type string)'],
    ['asInt(result) == 1', '1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['asFloat(result) == 1', 'abc', 'strconv.ParseFloat: parsing "abc": invalid syntax'],
    ['asInt(result) == 1', true, 'asInt() not supported on bool true'],
    ['isNaN(result)', 'x', 'cannot use string as argument (type float64) to call isNaN'],
    ['len(result) == 1', 1, 'invalid argument for len (type float64)'],
    ['result == ', 1, 'unexpected end of expression'],
    ['result === "pass"', 'pass', 'unexpected token Operator("=")'],
    ['len(result, 1) == 1', 'x', 'too many arguments to call len'],
  ] as const)('when %s with result %j then the error is "%s"', (condition, result, message) => {
    expect(() => evalCondition(condition, result as Json)).toThrow(message);
  });

  it('when the syntax is wrong then it compiles, and fails on every evaluation (as Argo does)', () => {
    const condition = compileCondition('result ==');
    expect(() => condition.test('pass')).toThrow('unexpected end of expression');
  });
});

describe('expr: refused before any measurement', () => {
  it.each([
    [
      'upper(result) == "PASS"',
      "expr: function 'upper' is not supported by vllm-canary analyze; supported: len, asInt, asFloat, isNaN, isInf, isNil, default",
    ],
    [
      'result matches "^p"',
      "expr: operator 'matches' (regular expressions) is not supported by vllm-canary analyze",
    ],
    ['all(result, {# > 1})', "expr: function 'all' is not supported"],
    ['result?.verdict == "pass"', "expr: optional chaining '?.' is not supported"],
    ['result[1:2] == [1]', 'expr: slices (a[i:j]) are not supported'],
    ['1..3 == [1, 2, 3]', "expr: range operator '..' is not supported"],
    ['{a: 1}.a == 1', 'expr: map literal or closure {...} is not supported'],
    ['let x = 1; x == 1', "expr: 'let' variable declaration is not supported"],
    ['result | len() > 1', "expr: pipe operator '|' is not supported"],
    ['result.verdict.trim() == "x"', 'expr: method calls (.trim()) are not supported'],
  ])('when %s then "%s"', (condition, message) => {
    expect(() => compileCondition(condition)).toThrow(ExprUnsupportedError);
    expect(() => compileCondition(condition)).toThrow(message);
  });
});
