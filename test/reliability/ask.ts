// Asking the provider what an AnalysisTemplate asks, and recording the answer in the terms the fault matrix and the
// fuzz suite judge: HTTP status, verdict or error code, reason, whether the body was JSON at all.
import { request } from 'undici';
import { ANALYSIS_CHECKS, checkUrl, MODEL, NAMESPACE } from './vllm-history.js';

export interface Observed {
  readonly check: string;
  /** HTTP status; 0 when no HTTP answer came (connection refused or reset). */
  readonly status: number;
  readonly json: boolean;
  readonly verdict?: string;
  readonly code?: string;
  readonly reason: string;
  readonly value?: number | null;
  readonly ms: number;
  readonly body?: Record<string, unknown>;
}

/** The checks every fault row asks: the usual analysis set by name, plus the composite of all of them. */
export const ASKED = [
  ...ANALYSIS_CHECKS.map(([check, params]) => ({
    name: params.signal === undefined ? check : `${check} (${params.signal})`,
    path: (canary: string, stable: string) => checkUrl(check, canary, stable, params),
  })),
];

export function compositeBody(canary: string, stable: string): Record<string, unknown> {
  return {
    namespace: NAMESPACE,
    model: MODEL,
    canary,
    stable,
    checks: ANALYSIS_CHECKS.map(([check, params]) => ({ check, ...params })),
  };
}

export async function ask(
  baseUrl: string,
  name: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Observed> {
  const started = performance.now();
  try {
    const response = await request(`${baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await response.body.text();
    const ms = performance.now() - started;
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { check: name, status: response.statusCode, json: false, reason: text.slice(0, 120), ms };
    }
    const error = doc.error as { code?: string; message?: string } | undefined;
    return {
      check: name,
      status: response.statusCode,
      json: true,
      verdict: typeof doc.verdict === 'string' ? doc.verdict : undefined,
      // Probes answer { status, detail } rather than an error document.
      code: error?.code ?? (typeof doc.status === 'string' ? doc.status : undefined),
      reason: String(error?.message ?? doc.reason ?? doc.detail ?? ''),
      value: typeof doc.value === 'number' || doc.value === null ? (doc.value as number | null) : undefined,
      ms,
      body: doc,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).name;
    return {
      check: name,
      status: 0,
      json: false,
      reason: `no HTTP answer (${code})`,
      ms: performance.now() - started,
    };
  }
}

/** Every check of the analysis set and the composite, concurrently, as Argo's metrics of one analysis run. */
export async function askAll(baseUrl: string, canary: string, stable: string): Promise<Observed[]> {
  return Promise.all([
    ...ASKED.map((c) => ask(baseUrl, c.name, c.path(canary, stable))),
    ask(baseUrl, 'composite', '/api/v1/analysis', compositeBody(canary, stable)),
  ]);
}

/** One line per distinct answer: "latency, queue: 502 backend_error". */
export function summarize(observed: readonly Observed[]): { answer: string; reason: string } {
  const groups = new Map<string, Observed[]>();
  for (const o of observed) {
    const key =
      o.status === 0 ? 'no HTTP answer' : `${o.status} ${o.verdict ?? o.code ?? (o.json ? '?' : 'not JSON')}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const answer = [...groups.entries()]
    .map(
      ([key, list]) =>
        `${list.length === observed.length ? 'all' : list.map((o) => o.check).join(', ')}: **${key}**`,
    )
    .join('; ');
  const reasons = [...new Set([...groups.values()].map((list) => shorten(list[0]!.reason)))];
  return { answer, reason: reasons.join(' / ') };
}

function shorten(text: string): string {
  const reason = text.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
  return reason.length > 140 ? `${reason.slice(0, 137)}...` : reason;
}
