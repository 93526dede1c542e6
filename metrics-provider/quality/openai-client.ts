// One request of a sample: a dataset item to /v1/chat/completions (messages) or /v1/completions (prompt) with
// temperature 0, and what came back. A timeout, an error and a cancellation are told apart; none of them is a score.
import { request, type Dispatcher } from 'undici';
import type { Endpoint } from './endpoints.js';
import type { DatasetItem } from './types.js';

export type Completion =
  | { readonly kind: 'answered'; readonly text: string; readonly latencyMs: number }
  | { readonly kind: 'error'; readonly reason: string; readonly latencyMs: number }
  | { readonly kind: 'timeout'; readonly reason: string; readonly latencyMs: number }
  | { readonly kind: 'cancelled'; readonly reason: string };

export interface CompletionOptions {
  readonly maxTokens: number;
  readonly timeoutMs: number;
  /** Aborted when the sample's deadline passes or the service closes: the request is cancelled, not timed out. */
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
  readonly now?: () => number;
}

const MAX_BODY_BYTES = 1 << 20;

export function requestBody(
  endpoint: Endpoint,
  item: DatasetItem,
  maxTokens: number,
): Record<string, unknown> {
  const common = {
    model: endpoint.model,
    temperature: 0,
    max_tokens: item.maxTokens ?? maxTokens,
    stream: false,
  };
  return item.messages ? { ...common, messages: item.messages } : { ...common, prompt: item.prompt };
}

export async function complete(
  endpoint: Endpoint,
  item: DatasetItem,
  options: CompletionOptions,
): Promise<Completion> {
  const now = options.now ?? Date.now;
  const started = now();
  if (options.signal?.aborted) return { kind: 'cancelled', reason: 'cancelled before sending' };
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('timeout')), options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  const path = item.messages ? '/v1/chat/completions' : '/v1/completions';
  const elapsed = () => now() - started;
  try {
    const response = await request(`${endpoint.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
      },
      body: JSON.stringify(requestBody(endpoint, item, options.maxTokens)),
      signal,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const body = await readText(response.body);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      return {
        kind: 'error',
        reason: `HTTP ${response.statusCode}: ${errorMessage(body)}`,
        latencyMs: elapsed(),
      };
    }
    const text = answerText(body, item.messages !== undefined);
    return text === undefined
      ? { kind: 'error', reason: 'the answer has no choices[0] text', latencyMs: elapsed() }
      : { kind: 'answered', text, latencyMs: elapsed() };
  } catch (error) {
    if (timeout.signal.aborted) {
      return { kind: 'timeout', reason: `no answer within ${options.timeoutMs} ms`, latencyMs: elapsed() };
    }
    if (options.signal?.aborted) return { kind: 'cancelled', reason: 'cancelled in flight' };
    return { kind: 'error', reason: describe(error), latencyMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

async function readText(body: Dispatcher.ResponseData['body']): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new Error(`answer larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function answerText(body: string, chat: boolean): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const choice = (parsed as { choices?: unknown[] } | null)?.choices?.[0] as
    | { message?: { content?: unknown }; text?: unknown }
    | undefined;
  const text = chat ? choice?.message?.content : choice?.text;
  return typeof text === 'string' ? text : undefined;
}

function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: { message?: unknown } };
    const message = parsed.error?.message ?? parsed.message;
    if (typeof message === 'string') return message.slice(0, 200);
  } catch {
    // not JSON
  }
  return body.replace(/\s+/g, ' ').slice(0, 200) || 'empty body';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
