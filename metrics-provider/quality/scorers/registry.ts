// The scorers by `scorer.type`, with each scorer's options and `expected` validated by ajv before any answer is scored.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { DatasetItem, Score, ScorerSpec } from '../types.js';
import { choiceScorer } from './choice.js';
import { containsScorer } from './contains.js';
import { exactScorer, normalizedScorer } from './exact.js';
import { f1Scorer } from './f1.js';
import { jsonScorer } from './json.js';
import { numericScorer } from './numeric.js';
import { regexScorer } from './regex.js';
import type { Scorer } from './scorer.js';

// Each scorer declares its own option and expected types; the registry holds them behind one erased signature.
type AnyScorer = Scorer<unknown, Record<string, unknown>>;

export const BUILTIN_SCORERS: readonly AnyScorer[] = [
  exactScorer,
  normalizedScorer,
  containsScorer,
  regexScorer,
  numericScorer,
  choiceScorer,
  jsonScorer,
  f1Scorer,
] as unknown as AnyScorer[];

/** One problem with an item's scorer or expected value; `field` is relative to the item ("scorer.relative"). */
export interface ScorerProblem {
  readonly field: string;
  readonly message: string;
}

interface Compiled {
  readonly scorer: AnyScorer;
  readonly options: ValidateFunction;
  readonly expected?: ValidateFunction;
}

export class ScorerRegistry {
  private readonly byType = new Map<string, Compiled>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false, verbose: true });

  constructor(scorers: readonly AnyScorer[] = BUILTIN_SCORERS) {
    for (const scorer of scorers) this.register(scorer);
  }

  register(scorer: AnyScorer): void {
    if (this.byType.has(scorer.type)) throw new Error(`scorer type ${scorer.type} is registered twice`);
    const options = this.ajv.compile({
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: { type: { const: scorer.type }, ...scorer.options },
    });
    const expected = scorer.expected ? this.ajv.compile(scorer.expected) : undefined;
    this.byType.set(scorer.type, { scorer, options, ...(expected ? { expected } : {}) });
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  get(type: string): AnyScorer {
    const found = this.byType.get(type);
    if (!found)
      throw new Error(`unknown scorer type ${JSON.stringify(type)}; known: ${this.types().join(', ')}`);
    return found.scorer;
  }

  /** Every problem with a scorer spec and the item's expected value; empty when the item can be scored. */
  validate(spec: ScorerSpec, expected: unknown): ScorerProblem[] {
    const compiled = this.byType.get(spec.type);
    if (!compiled) {
      return [{ field: 'scorer.type', message: `must be one of ${this.types().join(', ')}` }];
    }
    const problems: ScorerProblem[] = [];
    if (!compiled.options(spec)) problems.push(...describe('scorer', compiled.options.errors));
    if (compiled.expected) {
      if (expected === undefined) problems.push({ field: 'expected', message: 'is required' });
      else if (!compiled.expected(expected)) problems.push(...describe('expected', compiled.expected.errors));
    }
    if (problems.length === 0 && compiled.scorer.check) {
      const found = compiled.scorer.check(expected, spec);
      if (found) problems.push(found);
    }
    return problems;
  }

  score(item: Pick<DatasetItem, 'scorer' | 'expected'>, answer: string): Score {
    const result = this.get(item.scorer.type).score(answer, item.expected, item.scorer);
    const score = Number.isFinite(result.score) ? Math.min(1, Math.max(0, result.score)) : 0;
    return { score, reason: result.reason };
  }

  /** A printable answer scored 1: the item's `answer`, else the scorer's own from `expected`. */
  correctAnswer(item: Pick<DatasetItem, 'scorer' | 'expected' | 'answer'>): string | undefined {
    return item.answer ?? this.get(item.scorer.type).correctAnswer(item.expected, item.scorer);
  }

  wrongAnswer(item: Pick<DatasetItem, 'scorer' | 'expected' | 'wrong'>): string {
    return item.wrong ?? this.get(item.scorer.type).wrongAnswer(item.expected, item.scorer);
  }
}

function describe(prefix: string, errors: ErrorObject[] | null | undefined): ScorerProblem[] {
  const seen = new Set<string>();
  const out: ScorerProblem[] = [];
  // An anyOf speaks for the branches under it: one message, its schema's description.
  const anyOfPaths = new Set((errors ?? []).filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  for (const error of errors ?? []) {
    if (error.keyword !== 'anyOf' && [...anyOfPaths].some((p) => error.instancePath.startsWith(p))) continue;
    const params = error.params as {
      missingProperty?: string;
      additionalProperty?: string;
      allowedValues?: unknown[];
    };
    const field = [prefix, ...error.instancePath.split('/').filter(Boolean)].join('.');
    let problem: ScorerProblem;
    if (params.additionalProperty)
      problem = { field: `${field}.${params.additionalProperty}`, message: 'is not a known option' };
    else if (params.missingProperty)
      problem = { field: `${field}.${params.missingProperty}`, message: 'is required' };
    else if (params.allowedValues)
      problem = { field, message: `must be one of ${params.allowedValues.join(', ')}` };
    else if (error.keyword === 'anyOf') {
      const schema = error.parentSchema as { description?: string } | undefined;
      problem = { field, message: schema?.description ?? 'does not have an allowed form' };
    } else problem = { field, message: error.message ?? 'is invalid' };
    const key = `${problem.field} ${problem.message}`;
    if (!seen.has(key)) out.push(problem);
    seen.add(key);
  }
  return out;
}

/** The registry of the built-in scorers. */
export const defaultScorers = new ScorerRegistry();
