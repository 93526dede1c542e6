// A token bucket over all API requests: the provider must never be the reason Prometheus is overloaded, and a
// runaway client gets 429 answers instead of slowing everyone's analyses.
import type { RequestHandler } from 'express';
import { RateLimitedError } from '../errors.js';

export function rateLimit(
  requestsPerSecond: number,
  burst: number,
  now: () => number = () => performance.now(),
): RequestHandler {
  let tokens = burst;
  let last = now();
  return (_req, res, next) => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * requestsPerSecond);
    last = t;
    if (tokens < 1) {
      res.setHeader('Retry-After', String(Math.ceil((1 - tokens) / requestsPerSecond)));
      next(new RateLimitedError(`more than ${requestsPerSecond} requests per second`));
      return;
    }
    tokens -= 1;
    next();
  };
}
