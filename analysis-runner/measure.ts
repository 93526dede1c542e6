// One measurement of a web metric: ask, then judge the answer the way Argo's web provider does. The body is parsed
// as JSON; the jsonPath's first match is `result`; the conditions decide the phase. Every failure becomes an Error
// measurement with Argo's message, never an exception. A 2xx body that is not JSON is Successful without any
// condition being evaluated: that is Argo v1.9.1's behaviour, reproduced and flagged (nonJsonQuirk).
import { redact } from './args.js';
import { goJson, JsonPathLookupError, type Json } from './jsonpath.js';
import type { MetricPlan } from './plan.js';
import { conditionPhase } from './phases.js';
import type { Measurement } from './types.js';
import { buildRequest, send, type WebAnswer, type WebRequest } from './web-request.js';

/** Sends a request: the real HTTP client, or a stand-in in tests. */
export type Transport = (request: WebRequest) => Promise<WebAnswer>;

export interface MeasureContext {
  readonly now: () => Date;
  readonly transport?: Transport;
  readonly secrets?: readonly string[];
}

export async function measure(plan: MetricPlan, context: MeasureContext): Promise<Measurement> {
  const startedAt = context.now();
  const finish = (m: Omit<Measurement, 'startedAt' | 'finishedAt'>): Measurement => ({
    ...m,
    ...(m.message !== undefined ? { message: redact(m.message, context.secrets ?? []) } : {}),
    startedAt,
    finishedAt: context.now(),
  });
  const request = buildRequest(plan.web);
  if ('error' in request) return finish({ phase: 'Error', message: request.error });
  const answer = await (context.transport ?? send)(request);
  if (!answer.ok) {
    const reason = answer.body === undefined ? undefined : reasonOf(parseJson(answer.body));
    return finish({ phase: 'Error', message: answer.error, ...(reason !== undefined ? { reason } : {}) });
  }
  return finish(judge(plan, answer.body));
}

/** The phase, value and reason of a 2xx body (webmetric parseResponse + evaluate.EvaluateResult). */
export function judge(plan: MetricPlan, body: string): Omit<Measurement, 'startedAt' | 'finishedAt'> {
  const data = parseJson(body);
  if (data === undefined) return { phase: 'Successful', value: body, nonJsonQuirk: true };
  const reason = reasonOf(data);
  const withReason = reason !== undefined ? { reason } : {};
  let result: Json;
  try {
    result = plan.jsonPath.first(data);
  } catch (error) {
    const message = (error as Error).message;
    const lookup =
      error instanceof JsonPathLookupError && message !== 'result of web metric produced no value';
    return {
      phase: 'Error',
      message: lookup ? `Could not find JSONPath in body: ${message}` : message,
      ...withReason,
    };
  }
  const value = goJson(result);
  try {
    const success = plan.success?.test(result);
    const failure = plan.failure?.test(result);
    return { phase: conditionPhase(success, failure), value, ...withReason };
  } catch (error) {
    return { phase: 'Error', value, message: (error as Error).message, ...withReason };
  }
}

function parseJson(body: string): Json | undefined {
  try {
    return JSON.parse(body) as Json;
  } catch {
    return undefined;
  }
}

/** The provider's one-line explanation: `reason` of a verdict, `error.message` of an error answer. */
function reasonOf(data: Json | undefined): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const record = data as { readonly [key: string]: Json };
  if (typeof record.reason === 'string') return record.reason;
  const error = record.error;
  if (typeof error === 'object' && error !== null && !Array.isArray(error)) {
    const message = (error as { readonly [key: string]: Json }).message;
    if (typeof message === 'string') return message;
  }
  return undefined;
}
