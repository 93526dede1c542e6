// The composite analysis (POST /api/v1/analysis): several checks in one call, each with its own limits, weight and
// criticality, scored into one verdict in the manner of Kayenta. A check that cannot be measured fails the whole
// request (an Error measurement in Argo) rather than being left out of the score: leaving it out could pass.
import { Ajv } from 'ajv';
import { InvalidRequestError } from '../errors.js';
import {
  DEFAULT_THRESHOLDS,
  score,
  type Score,
  type ScoredCheck,
  type ScoreThresholds,
} from '../judge/index.js';
import type { MetricSource } from '../sources/metric-source.js';
import { COMMON_PARAMS_SCHEMA, parseCheckParams, REQUIRED_PARAMS, toProblem } from './params.js';
import type { CheckRegistry } from './registry.js';
import { measureAndJudge, type CheckAnswer } from './run-check.js';
import { CHECK_NAMES } from './types.js';

export interface CompositeAnswer extends Score {
  readonly checks: readonly (CheckAnswer & { readonly weight: number; readonly critical: boolean })[];
}

const MAX_CHECKS = 16;

export const COMPOSITE_SCHEMA = {
  type: 'object',
  properties: {
    ...COMMON_PARAMS_SCHEMA,
    checks: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_CHECKS,
      items: {
        type: 'object',
        properties: {
          check: { type: 'string', enum: [...CHECK_NAMES] },
          weight: { type: 'number', minimum: 0, maximum: 100, default: 1 },
          critical: { type: 'boolean', default: false },
        },
        required: ['check'],
      },
    },
    thresholds: {
      type: 'object',
      properties: {
        pass: { type: 'number', minimum: 0, maximum: 100, default: DEFAULT_THRESHOLDS.pass },
        marginal: { type: 'number', minimum: 0, maximum: 100, default: DEFAULT_THRESHOLDS.marginal },
      },
      additionalProperties: false,
    },
  },
  required: [...REQUIRED_PARAMS, 'checks'],
  additionalProperties: false,
} as const;

const validateBody = new Ajv({ allErrors: true, useDefaults: true, strict: true }).compile(COMPOSITE_SCHEMA);

interface CompositeBody {
  readonly checks: readonly ({ check: string; weight: number; critical: boolean } & Record<
    string,
    unknown
  >)[];
  readonly thresholds?: ScoreThresholds;
  readonly [common: string]: unknown;
}

export async function runComposite(
  registry: CheckRegistry,
  raw: unknown,
  source: MetricSource,
  signal: AbortSignal,
): Promise<CompositeAnswer> {
  const body = structuredClone(raw);
  if (!validateBody(body)) {
    const problems = (validateBody.errors ?? []).map((e) => toProblem(e));
    throw new InvalidRequestError(
      `invalid analysis request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      problems,
    );
  }
  const { checks, thresholds, ...common } = body as unknown as CompositeBody;
  const thresholdValues = thresholds ?? DEFAULT_THRESHOLDS;
  if (thresholdValues.marginal > thresholdValues.pass) {
    throw new InvalidRequestError('thresholds.marginal is above thresholds.pass', [
      {
        field: 'thresholds.marginal',
        message: 'is above thresholds.pass',
        allowed: `0 to ${thresholdValues.pass}`,
      },
    ]);
  }
  // Validate every check before measuring any, so a bad request never costs a query.
  const planned = checks.map(({ check, weight, critical, ...own }, i) => {
    const definition = registry.get(check);
    const params = parseCheckParams(definition, { ...common, ...own }, `checks[${i}].`);
    return { definition, params, weight, critical };
  });
  const answers = await Promise.all(
    planned.map(async (p) => ({
      ...(await measureAndJudge(p.definition, p.params, source, signal)),
      weight: p.weight,
      critical: p.critical,
    })),
  );
  const scored: ScoredCheck[] = answers.map((a, i) => ({
    name: `${a.check}#${i}`,
    weight: a.weight,
    critical: a.critical,
    classification: {
      label: a.label,
      verdict: a.verdict,
      reason: a.reason,
      deviation: a.deviation ?? undefined,
    },
  }));
  return { ...score(scored, thresholdValues), checks: answers };
}
