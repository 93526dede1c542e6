// The provider's HTTP API (express). Handlers stay thin: validate, ask, judge, answer; every error goes through
// the one error middleware. Every answer is JSON, and a 2xx answer always carries a verdict.
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { runComposite } from '../checks/composite.js';
import type { CheckRegistry } from '../checks/registry.js';
import { runCheck } from '../checks/run-check.js';
import { InvalidRequestError, NotFoundError } from '../errors.js';
import type { MetricSource } from '../sources/metric-source.js';
import { bearerAuth } from './auth.js';
import { withDeadline } from './deadline.js';
import { errorMiddleware } from './error-middleware.js';
import { OPENAPI_DOCUMENT } from './openapi.js';
import type { ProviderMetrics } from './provider-metrics.js';
import { rateLimit } from './rate-limit.js';

export interface AppDependencies {
  readonly source: MetricSource;
  readonly checks: CheckRegistry;
  readonly metrics: ProviderMetrics;
  /** What /metrics answers: this registry's text, or every worker's summed. */
  readonly metricsText: () => Promise<string>;
  readonly logger: Logger;
  readonly deadlineMs: number;
  readonly bodyLimitBytes: number;
  readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number };
  /** When set, the API (not the probes or /metrics) requires `Authorization: Bearer <token>`. */
  readonly apiToken?: string;
}

/** Longest query string accepted: no legitimate check request comes close. */
const MAX_URL_LENGTH = 4096;

export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Each answer is computed afresh, so no client revalidates it: hashing every body for an ETag is wasted work.
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(observe(deps));
  // Express would answer OPTIONS itself, 200 with a text body; every answer here is JSON, and a 2xx carries a verdict.
  app.use((req, _res, next) => {
    next(
      req.method === 'OPTIONS' ? new NotFoundError(`no route OPTIONS ${req.path.slice(0, 100)}`) : undefined,
    );
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const health = await deps.source.health(AbortSignal.timeout(Math.min(deps.deadlineMs, 5000)));
    res
      .status(health.ok ? 200 : 503)
      .json({ status: health.ok ? 'ready' : 'not ready', source: deps.source.name, detail: health.detail });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metricsText());
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });

  const api = express.Router();
  api.use(rateLimit(deps.rateLimit.requestsPerSecond, deps.rateLimit.burst));
  if (deps.apiToken !== undefined) api.use(bearerAuth(deps.apiToken));
  // Only the composite has a body; the checks (GET) skip the parser.
  const json = express.json({ limit: deps.bodyLimitBytes, strict: true, type: () => true });

  api.get('/checks/:check', async (req, res) => {
    const definition = deps.checks.get(req.params.check as string);
    const answer = await withDeadline(deps.deadlineMs, (signal) =>
      runCheck(definition, req.query, deps.source, signal),
    );
    deps.metrics.verdicts.inc({ check: answer.check, verdict: answer.verdict });
    logAnswer(deps.logger, req, answer.verdict, answer.reason);
    res.json(answer);
  });
  api.post('/analysis', json, async (req, res) => {
    refuseDeepBody(req.body);
    const answer = await withDeadline(deps.deadlineMs, (signal) =>
      runComposite(deps.checks, req.body, deps.source, signal),
    );
    deps.metrics.verdicts.inc({ check: 'composite', verdict: answer.verdict });
    logAnswer(deps.logger, req, answer.verdict, answer.reason);
    res.json(answer);
  });
  app.use('/api/v1', api);

  app.use((req, _res, next) => {
    next(new NotFoundError(`no route ${req.method} ${req.path.slice(0, 100)}`));
  });
  app.use(errorMiddleware(deps.logger, (code) => deps.metrics.backendErrors.inc({ code })));
  return app;
}

/** Deepest nesting a valid analysis body has is 4; far deeper ones would overflow the stack when copied. */
const MAX_BODY_DEPTH = 32;

function refuseDeepBody(body: unknown): void {
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) {
      throw new InvalidRequestError(`the request body is nested deeper than ${MAX_BODY_DEPTH} levels`, [
        { field: '(body)', message: 'is nested too deeply', allowed: `at most ${MAX_BODY_DEPTH} levels` },
      ]);
    }
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}

/** Counts and times every request; refuses over-long URLs before anything parses them. */
function observe(deps: AppDependencies): RequestHandler {
  return (req: Request, res: Response, next) => {
    const stop = deps.metrics.duration.startTimer();
    res.on('finish', () => {
      // Not req.path: inside the /api/v1 router express strips that prefix from it, and an answer sent there
      // finishes before the router restores it.
      const route = routeLabel(req.originalUrl.split('?', 1)[0]!);
      stop({ route });
      deps.metrics.requests.inc({ route, status: String(res.statusCode) });
    });
    if (req.originalUrl.length > MAX_URL_LENGTH) {
      res.status(414).json({
        error: { code: 'invalid_request', message: `the URL is longer than ${MAX_URL_LENGTH} characters` },
      });
      return;
    }
    next();
  };
}

const KNOWN_ROUTES =
  /^\/(healthz|readyz|metrics|openapi\.json|api\/v1\/analysis|api\/v1\/checks\/(latency|error-ratio|kv-cache|queue|quality))$/;

/** Route labels from a closed set, so hostile paths cannot blow up the metric's cardinality. */
function routeLabel(path: string): string {
  return KNOWN_ROUTES.test(path) ? path : 'other';
}

function logAnswer(logger: Logger, req: Request, verdict: string, reason: string): void {
  logger.info({ method: req.method, path: req.path, query: req.query, verdict, reason }, 'answered');
}
