// The one place errors become HTTP answers: typed provider errors keep their status and code; body-parser errors
// become 400/413; anything else is a 500 with a generic message (the detail goes to the log, never to the client).
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ProviderError } from '../errors.js';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly [detail: string]: unknown };
}

export function errorMiddleware(logger: Logger, onBackendError: (code: string) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const { status, body } = toErrorAnswer(error);
    if (status >= 500 && status !== 500) onBackendError(body.error.code);
    const log = { status, code: body.error.code, method: req.method, path: req.path };
    if (status === 500) logger.error({ ...log, err: error }, 'internal error');
    else if (status >= 500) logger.warn({ ...log, reason: body.error.message }, 'metric source failed');
    else logger.info({ ...log, reason: body.error.message }, 'request refused');
    if (res.headersSent) return;
    res.status(status).json(body);
  };
}

export function toErrorAnswer(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ProviderError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, ...error.details } },
    };
  }
  const httpError = error as { status?: unknown; type?: unknown };
  if (httpError?.type === 'entity.too.large') {
    return {
      status: 413,
      body: { error: { code: 'payload_too_large', message: 'the request body is too large' } },
    };
  }
  if (httpError?.type === 'entity.parse.failed') {
    return {
      status: 400,
      body: { error: { code: 'invalid_request', message: 'the request body is not valid JSON' } },
    };
  }
  if (typeof httpError?.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
    return {
      status: httpError.status,
      body: { error: { code: 'invalid_request', message: 'the request could not be read' } },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'internal error; see the provider log' } },
  };
}
