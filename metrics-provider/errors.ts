// Typed errors for the cases callers must tell apart. The API's error middleware maps each to one HTTP status and
// a stable `code`, so no handler decides a status on its own and nothing turns an error into a verdict.

export type ProviderErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'payload_too_large'
  | 'rate_limited'
  | 'not_found'
  | 'backend_unreachable'
  | 'backend_timeout'
  | 'backend_error'
  | 'unexpected_data'
  | 'deadline_exceeded'
  | 'internal';

export abstract class ProviderError extends Error {
  abstract readonly code: ProviderErrorCode;
  abstract readonly status: number;
  /** Extra facts for the JSON answer (never secrets). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

/** One problem with a request: where it is and what is allowed there. */
export interface RequestProblem {
  readonly field: string;
  readonly message: string;
  readonly allowed?: string;
}

export class InvalidRequestError extends ProviderError {
  readonly code = 'invalid_request';
  readonly status = 400;
  constructor(
    message: string,
    readonly problems: readonly RequestProblem[] = [],
  ) {
    super(message, { problems });
  }
}

export class UnauthorizedError extends ProviderError {
  readonly code = 'unauthorized';
  readonly status = 401;
}

export class NotFoundError extends ProviderError {
  readonly code = 'not_found';
  readonly status = 404;
}

export class PayloadTooLargeError extends ProviderError {
  readonly code = 'payload_too_large';
  readonly status = 413;
}

export class RateLimitedError extends ProviderError {
  readonly code = 'rate_limited';
  readonly status = 429;
}

/** The metric source could not be reached (connection refused, DNS, TLS). */
export class BackendUnreachableError extends ProviderError {
  readonly code = 'backend_unreachable';
  readonly status = 502;
}

/** The metric source did not answer within its time budget. */
export class BackendTimeoutError extends ProviderError {
  readonly code = 'backend_timeout';
  readonly status = 504;
}

/** The metric source answered, but with an error status or an error document. */
export class BackendError extends ProviderError {
  readonly code = 'backend_error';
  readonly status = 502;
}

/** The metric source answered something that cannot be judged: malformed, the wrong result type, NaN, several series. */
export class UnexpectedDataError extends ProviderError {
  readonly code = 'unexpected_data';
  readonly status = 502;
}

/** The whole answer did not come together before the provider's deadline. */
export class DeadlineExceededError extends ProviderError {
  readonly code = 'deadline_exceeded';
  readonly status = 504;
}
