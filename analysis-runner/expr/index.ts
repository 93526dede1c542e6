// A condition compiled once (syntax and support checked up front) and evaluated against each measured value the way
// Argo's evaluate.EvalCondition does: type check with the value's concrete type, run, and require a bool.
import { typeCheck } from './check.js';
import { evaluate } from './evaluate.js';
import { parse, SUPPORTED_FUNCTIONS, type Node } from './parser.js';
import { ExprSyntaxError, ExprUnsupportedError } from './tokenizer.js';
import { ExprRuntimeError, goType, type Value } from './values.js';

export { ExprRuntimeError, ExprSyntaxError, ExprUnsupportedError, SUPPORTED_FUNCTIONS, type Value };

export interface Condition {
  readonly source: string;
  /** The condition's outcome; throws an Error whose message Argo would record on an Error measurement. */
  test(result: Value): boolean;
}

/**
 * Parses a condition. Throws ExprUnsupportedError for expr constructs this runner does not evaluate. A condition
 * expr itself rejects compiles to one that throws its syntax error on every evaluation, as Argo records an Error
 * measurement each time.
 */
export function compileCondition(source: string): Condition {
  let ast: Node | undefined;
  let syntaxError: ExprSyntaxError | undefined;
  try {
    ast = parse(source);
  } catch (error) {
    if (error instanceof ExprSyntaxError) syntaxError = error;
    else throw error;
  }
  return {
    source,
    test(result: Value): boolean {
      if (ast === undefined) throw syntaxError as ExprSyntaxError;
      typeCheck(ast, result);
      const outcome = evaluate(ast, result);
      if (typeof outcome !== 'boolean')
        throw new ExprRuntimeError(`expected bool, but got ${goType(outcome)}`);
      return outcome;
    },
  };
}

/** Evaluates a condition once (tests and tools). */
export function evalCondition(source: string, result: Value): boolean {
  return compileCondition(source).test(result);
}
