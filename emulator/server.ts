// The HTTP face of the emulator: vLLM's OpenAI routes, /health, /metrics, and /admin/profile for tests and the demo.
// Handlers stay thin (parse, ask the engine, shape the answer); every error leaves as vLLM's JSON error body.
import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Engine } from './engine.js';
import type { EmulatorMetrics } from './metrics.js';
import {
  ApiError,
  chunkBody,
  completionBody,
  modelsBody,
  parseGenerationRequest,
  usage,
  usageChunkBody,
  type AnswerHeader,
  type ApiKind,
} from './openai-api.js';
import { ProfileError, type Profile } from './profile.js';

/** The context a server needs; the emulator owns all of it and closes it. */
export interface ServerContext {
  readonly model: string;
  readonly engine: Engine;
  readonly registry: Registry;
  readonly metrics: EmulatorMetrics;
  readonly timeScale: number;
  readonly profile: () => Profile;
  readonly setProfile: (patch: unknown) => Profile;
  /** Aborts every request in flight when the server closes. */
  readonly shutdown: AbortSignal;
  readonly logger?: Logger;
}

/** The handlers the HTTP metrics name; any other path is "none", as the instrumentator groups untemplated paths. */
const COUNTED_HANDLERS = new Set(['/v1/chat/completions', '/v1/completions', '/v1/models']);
/** Paths vLLM excludes from its HTTP metrics, plus the emulator's own control plane. */
const UNCOUNTED_PATHS = new Set(['/metrics', '/health', '/ping', '/load', '/version']);
/** vLLM reports a context length on /v1/models; the emulator has no real model, so it reports a common one. */
const MAX_MODEL_LEN = 4096;

function sendError(res: Response, error: ApiError): void {
  res.status(error.status).json(error.body());
}

/** Counts every answered request in http_requests_total / http_request_duration_seconds (virtual seconds). */
function httpMetrics(context: ServerContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (UNCOUNTED_PATHS.has(req.path) || req.path.startsWith('/admin/')) return next();
    const started = performance.now();
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const handler = COUNTED_HANDLERS.has(req.path) ? req.path : 'none';
      const seconds = ((performance.now() - started) / 1000) * context.timeScale;
      context.metrics.httpRequest(handler, req.method, res.statusCode, seconds);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

async function handleGeneration(
  context: ServerContext,
  kind: ApiKind,
  req: Request,
  res: Response,
): Promise<void> {
  let request;
  try {
    request = parseGenerationRequest(kind, req.body, context.model);
  } catch (error) {
    if (error instanceof ApiError) return sendError(res, error);
    throw error;
  }
  // One signal per request, aborted by a client that goes away or by shutdown. The shutdown listener is removed
  // when the response closes, so a long-running server does not pile listeners on its shutdown signal.
  const controller = new AbortController();
  const signal = controller.signal;
  const onShutdown = (): void => controller.abort(context.shutdown.reason);
  context.shutdown.addEventListener('abort', onShutdown, { once: true });
  res.once('close', () => {
    context.shutdown.removeEventListener('abort', onShutdown);
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  });
  const header: AnswerHeader = {
    id: `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replaceAll('-', '')}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
  };

  if (!request.stream) {
    try {
      const result = await context.engine.generate(request, signal);
      res.json(
        completionBody(
          kind,
          header,
          result.text,
          result.finishedReason,
          usage(result.promptTokens, result.completionTokens),
        ),
      );
    } catch (error) {
      if (error instanceof ApiError) return sendError(res, error);
      if (!signal.aborted) throw error;
    }
    return;
  }

  // Streaming: headers go out with the first token, so an emulated error before it can still be a plain 500.
  const write = (body: object): void => {
    res.write(`data: ${JSON.stringify(body)}\n\n`);
  };
  const open = (): void => {
    if (res.headersSent) return;
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    if (kind === 'chat') write(chunkBody(kind, header, undefined, null));
  };
  try {
    const result = await context.engine.generate(request, signal, (token) => {
      open();
      write(chunkBody(kind, header, token, null));
    });
    open();
    write(chunkBody(kind, header, kind === 'chat' ? undefined : '', result.finishedReason));
    if (request.includeUsage) {
      write(usageChunkBody(kind, header, usage(result.promptTokens, result.completionTokens)));
    }
    res.write('data: [DONE]\n\n');
    res.end();
  } catch (error) {
    if (signal.aborted) return void res.end();
    const apiError =
      error instanceof ApiError ? error : new ApiError(500, 'InternalServerError', String(error));
    if (!res.headersSent) return sendError(res, apiError);
    // vLLM reports an error after the stream started as an error event, then ends the stream.
    write({ error: apiError.body() });
    res.write('data: [DONE]\n\n');
    res.end();
  }
}

export function createApp(context: ServerContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(httpMetrics(context));
  app.use(express.json({ limit: '10mb' }));

  app.get('/health', (_req, res) => {
    res.status(200).end();
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', context.registry.contentType).send(await context.registry.metrics());
  });
  app.get('/v1/models', (_req, res) => {
    res.json(modelsBody(context.model, Math.floor(Date.now() / 1000), MAX_MODEL_LEN));
  });
  app.post('/v1/chat/completions', (req, res) => handleGeneration(context, 'chat', req, res));
  app.post('/v1/completions', (req, res) => handleGeneration(context, 'completion', req, res));

  app.get('/admin/profile', (_req, res) => {
    res.json(context.profile());
  });
  app.patch('/admin/profile', (req, res) => {
    try {
      res.json(context.setProfile(req.body ?? {}));
    } catch (error) {
      if (!(error instanceof ProfileError)) throw error;
      res
        .status(400)
        .json({ ...new ApiError(400, 'BadRequestError', error.message).body(), problems: error.problems });
    }
  });

  // FastAPI's answer to an unknown route.
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ detail: 'Not Found' });
  });
  // Body-parser failures (malformed JSON) become vLLM's 400; anything else is a 500 in the same shape.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const parseFailed =
      typeof error === 'object' &&
      error !== null &&
      (error as { type?: unknown }).type === 'entity.parse.failed';
    const message = error instanceof Error ? error.message : String(error);
    if (parseFailed)
      return sendError(res, new ApiError(400, 'BadRequestError', `JSON decode error: ${message}`));
    context.logger?.error({ err: error }, 'unexpected error');
    if (res.headersSent) return void res.end();
    sendError(res, new ApiError(500, 'InternalServerError', message));
  });
  return app;
}
