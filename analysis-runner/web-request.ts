// How Argo's web provider asks (metricproviders/webmetric): method GET by default (POST, PUT), headers, `body` or
// `jsonBody` (Content-Type: application/json; not with GET), a whole-exchange timeout of timeoutSeconds (default
// 10), `insecure` to skip TLS verification. Returns what came back, or the error Argo would record; never throws.
import { Agent, interceptors, request as undiciRequest, type Dispatcher } from 'undici';
import type { WebMetric } from './types.js';

export const DEFAULT_TIMEOUT_SECONDS = 10;
const METHODS = new Set(['GET', 'POST', 'PUT']);

export interface WebRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly insecure: boolean;
}

export type WebAnswer =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly error: string; readonly status?: number; readonly body?: string };

/** The request for a resolved metric, or the message of the Error measurement Argo would record. */
export function buildRequest(web: WebMetric): WebRequest | { readonly error: string } {
  const method = (web.method === undefined || web.method === '' ? 'GET' : web.method) as WebRequest['method'];
  if (!METHODS.has(method)) return { error: `method ${JSON.stringify(method)} is not one of GET, POST, PUT` };
  const hasBody = web.body !== undefined && web.body !== '';
  const hasJson = web.jsonBody !== undefined && web.jsonBody !== null;
  if (hasBody && hasJson)
    return { error: 'use either Body or JSONBody; both cannot exists for WebMetric payload' };
  if ((hasBody || hasJson) && method === 'GET')
    return { error: 'Body/JSONBody can only be used with POST or PUT WebMetric Method types' };
  const headers: Record<string, string> = {};
  for (const h of web.headers ?? []) headers[h.key.toLowerCase()] = h.value;
  if (hasJson) headers['content-type'] = 'application/json';
  const seconds =
    web.timeoutSeconds !== undefined && web.timeoutSeconds > 0 ? web.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
  return {
    method,
    url: web.url,
    headers,
    ...(hasBody ? { body: web.body } : hasJson ? { body: JSON.stringify(web.jsonBody) } : {}),
    timeoutMs: seconds * 1000,
    insecure: web.insecure === true,
  };
}

const dispatchers = new Map<boolean, Dispatcher>();

/** Go's http.Client follows up to 10 redirects; TLS checks are skipped only for `insecure: true`. */
function dispatcher(insecure: boolean): Dispatcher {
  let d = dispatchers.get(insecure);
  if (d === undefined) {
    d = new Agent(insecure ? { connect: { rejectUnauthorized: false } } : {}).compose(
      interceptors.redirect({ maxRedirections: 10 }),
    );
    dispatchers.set(insecure, d);
  }
  return d;
}

/** Sends the request; non-2xx, timeouts and transport errors come back as `ok: false` with Go's wording. */
export async function send(request: WebRequest): Promise<WebAnswer> {
  const verb = request.method[0] + request.method.slice(1).toLowerCase();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const response = await undiciRequest(request.url, {
      method: request.method,
      headers: { 'user-agent': 'vllm-canary-analyze', ...request.headers },
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: controller.signal,
      dispatcher: dispatcher(request.insecure),
    });
    const bytes = new Uint8Array(await response.body.arrayBuffer());
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const status = response.statusCode;
    if (status < 200 || status >= 300)
      return { ok: false, error: `received non 2xx response code: ${status}`, status, body };
    return { ok: true, status, body };
  } catch (error) {
    if (controller.signal.aborted)
      return {
        ok: false,
        error: `${verb} ${JSON.stringify(request.url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      };
    return { ok: false, error: `${verb} ${JSON.stringify(request.url)}: ${transportMessage(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

function transportMessage(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e.code ?? e.errors?.[0]?.code;
  if (code === 'ECONNREFUSED') return 'connect: connection refused';
  if (code === 'ENOTFOUND') return 'no such host';
  if (code === 'ECONNRESET') return 'connection reset by peer';
  return e.message ?? String(error);
}
