// Optional bearer-token authentication of the API. The comparison is constant-time over equal-length digests, so
// neither the token's content nor its length leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../errors.js';

export function bearerAuth(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header.trim()) : null;
    if (match === null) {
      next(new UnauthorizedError('a bearer token is required (Authorization: Bearer <token>)'));
      return;
    }
    if (!timingSafeEqual(digest(match[1]!), expected)) {
      next(new UnauthorizedError('the bearer token is not valid'));
      return;
    }
    next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
