// The OpenAI-compatible wire format as vLLM speaks it: request validation with vLLM's error body
// ({"object":"error","message":...,"type":...,"param":null,"code":...}) and the shapes of answers and stream chunks.
import type { FinishedReason } from './latency.js';
import { splitTokens } from './answers.js';

export type ApiKind = 'chat' | 'completion';

/** What the emulator needs from a /v1/chat/completions or /v1/completions body. */
export interface GenerationRequest {
  readonly kind: ApiKind;
  readonly model: string;
  /** The text looked up in the answer book: the last user message (chat) or the prompt (completion). */
  readonly lookupText: string;
  readonly promptTokens: number;
  readonly maxTokens?: number;
  readonly stream: boolean;
  /** stream_options.include_usage: a last chunk with usage and no choices. */
  readonly includeUsage: boolean;
}

/** An error answered as vLLM answers it; `type` is the Python exception name vLLM reports. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: 'BadRequestError' | 'NotFoundError' | 'InternalServerError',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ErrorBody {
    return { object: 'error', message: this.message, type: this.type, param: null, code: this.status };
  }
}

export interface ErrorBody {
  readonly object: 'error';
  readonly message: string;
  readonly type: string;
  readonly param: null;
  readonly code: number;
}

const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequestError', message);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a chat message's content: a string, or the text parts of a content array. */
function contentText(content: unknown, field: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) {
    return content
      .map((part, index) => {
        if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
        if (isRecord(part) && typeof part.type === 'string') return '';
        throw badRequest(`${field}.${index}: Input should be a valid content part`);
      })
      .join('');
  }
  throw badRequest(`${field}: Input should be a valid string or list of content parts`);
}

function optionalPositiveInteger(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw badRequest(`body.${field}: Input should be a valid integer`);
  if (value < 1) throw badRequest(`body.${field}: max_tokens must be at least 1, got ${value}.`);
  return value;
}

function chatInput(body: Record<string, unknown>): { lookupText: string; promptText: string } {
  const messages = body.messages;
  if (messages === undefined) throw badRequest('body.messages: Field required');
  if (!Array.isArray(messages) || messages.length === 0)
    throw badRequest('body.messages: Input should be a non-empty list');
  const texts = messages.map((message, index) => {
    if (!isRecord(message) || typeof message.role !== 'string') {
      throw badRequest(`body.messages.${index}: Input should be a message with a string role`);
    }
    return { role: message.role, text: contentText(message.content, `body.messages.${index}.content`) };
  });
  const lastUser = [...texts].reverse().find((message) => message.role === 'user') ?? texts[texts.length - 1];
  return { lookupText: lastUser?.text ?? '', promptText: texts.map((message) => message.text).join('\n') };
}

function completionInput(body: Record<string, unknown>): { lookupText: string; promptText: string } {
  const prompt = body.prompt;
  if (prompt === undefined || prompt === null) throw badRequest('body.prompt: Field required');
  const single = Array.isArray(prompt) && prompt.length === 1 ? prompt[0] : prompt;
  if (typeof single !== 'string') {
    throw badRequest('body.prompt: the emulator accepts a single string prompt (or a list of one string)');
  }
  return { lookupText: single, promptText: single };
}

/**
 * Validates a request body in vLLM's order (the body's shape first, then the model name), throwing ApiError:
 * 400 BadRequestError for a bad body, 404 NotFoundError for a model this server does not serve.
 */
export function parseGenerationRequest(kind: ApiKind, body: unknown, servedModel: string): GenerationRequest {
  if (!isRecord(body)) throw badRequest('body: Input should be a valid JSON object');
  if (body.model === undefined || body.model === null) throw badRequest('body.model: Field required');
  if (typeof body.model !== 'string') throw badRequest('body.model: Input should be a valid string');
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw badRequest('body.stream: Input should be a valid boolean');
  }
  const { lookupText, promptText } = kind === 'chat' ? chatInput(body) : completionInput(body);
  const maxTokens =
    (kind === 'chat' ? optionalPositiveInteger(body, 'max_completion_tokens') : undefined) ??
    optionalPositiveInteger(body, 'max_tokens');
  if (body.model !== servedModel) {
    throw new ApiError(404, 'NotFoundError', `The model \`${body.model}\` does not exist.`);
  }
  const streamOptions = body.stream_options;
  return {
    kind,
    model: body.model,
    lookupText,
    promptTokens: Math.max(1, splitTokens(promptText).length),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    stream: body.stream === true,
    includeUsage: isRecord(streamOptions) && streamOptions.include_usage === true,
  };
}

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/** Identity of one answer, shared by all its chunks. */
export interface AnswerHeader {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

/** The non-streaming answer. */
export function completionBody(
  kind: ApiKind,
  header: AnswerHeader,
  text: string,
  reason: FinishedReason,
  counts: Usage,
): object {
  if (kind === 'chat') {
    return {
      ...header,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, tool_calls: [] },
          logprobs: null,
          finish_reason: reason,
          stop_reason: null,
        },
      ],
      usage: counts,
      prompt_logprobs: null,
    };
  }
  return {
    ...header,
    object: 'text_completion',
    choices: [
      { index: 0, text, logprobs: null, finish_reason: reason, stop_reason: null, prompt_logprobs: null },
    ],
    usage: counts,
  };
}

/**
 * One stream chunk. Chat streams open with a role-only delta (`text` undefined); the last chunk carries the
 * finish reason with an empty delta.
 */
export function chunkBody(
  kind: ApiKind,
  header: AnswerHeader,
  text: string | undefined,
  reason: FinishedReason | null,
): object {
  if (kind === 'chat') {
    const delta =
      text === undefined ? (reason === null ? { role: 'assistant', content: '' } : {}) : { content: text };
    return {
      ...header,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: reason }],
    };
  }
  return {
    ...header,
    object: 'text_completion',
    choices: [{ index: 0, text: text ?? '', logprobs: null, finish_reason: reason, stop_reason: null }],
  };
}

/** The last chunk of a stream asked with stream_options.include_usage. */
export function usageChunkBody(kind: ApiKind, header: AnswerHeader, counts: Usage): object {
  return {
    ...header,
    object: kind === 'chat' ? 'chat.completion.chunk' : 'text_completion',
    choices: [],
    usage: counts,
  };
}

/** GET /v1/models. */
export function modelsBody(model: string, created: number, maxModelLen: number): object {
  return {
    object: 'list',
    data: [
      {
        id: model,
        object: 'model',
        created,
        owned_by: 'vllm',
        root: model,
        parent: null,
        max_model_len: maxModelLen,
      },
    ],
  };
}
