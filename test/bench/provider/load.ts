// Load for the provider benchmark: N analyses, each asking its checks every interval (open loop, staggered like
// AnalysisRuns started at different times), against the provider or straight against Prometheus with the same
// PromQL in the same rounds; plus reading the provider's own /metrics.
import { Agent, request } from 'undici';

/** One unit of work (one check answer, or its queries sent straight); resolves whether it succeeded. */
export type Operation = () => Promise<boolean>;

export interface OpenLoopResult {
  readonly latenciesMs: number[];
  readonly sent: number;
  readonly failed: number;
  readonly seconds: number;
}

export async function openLoop(options: {
  readonly analyses: number;
  readonly intervalMs: number;
  readonly durationMs: number;
  /** The checks one analysis asks each interval. */
  readonly operations: readonly Operation[];
}): Promise<OpenLoopResult> {
  const { analyses, intervalMs, durationMs, operations } = options;
  const latenciesMs: number[] = [];
  let sent = 0;
  let failed = 0;
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  const end = started + durationMs;
  const timers: NodeJS.Timeout[] = [];

  const tick = () => {
    if (performance.now() >= end) return;
    for (const operation of operations) {
      sent++;
      const t0 = performance.now();
      const p = operation()
        .then((ok) => {
          latenciesMs.push(performance.now() - t0);
          if (!ok) failed++;
        })
        .catch(() => {
          latenciesMs.push(performance.now() - t0);
          failed++;
        })
        .finally(() => pending.delete(p));
      pending.add(p);
    }
  };
  for (let i = 0; i < analyses; i++) {
    const offset = (i * intervalMs) / analyses;
    timers.push(
      setTimeout(() => {
        tick();
        timers.push(setInterval(tick, intervalMs));
      }, offset),
    );
  }
  await new Promise((r) => setTimeout(r, durationMs));
  for (const t of timers) clearTimeout(t);
  await Promise.all([...pending]);
  return { latenciesMs, sent, failed, seconds: (performance.now() - started) / 1000 };
}

/** Slices of one measurement as one. */
export function merge(parts: readonly OpenLoopResult[]): OpenLoopResult {
  return {
    latenciesMs: parts.flatMap((p) => p.latenciesMs),
    sent: parts.reduce((a, p) => a + p.sent, 0),
    failed: parts.reduce((a, p) => a + p.failed, 0),
    seconds: parts.reduce((a, p) => a + p.seconds, 0),
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!;
}

export function summary(result: OpenLoopResult): {
  p50: number;
  p99: number;
  perSecond: number;
  failed: number;
  n: number;
} {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    perSecond: result.latenciesMs.length / result.seconds,
    failed: result.failed,
    n: result.latenciesMs.length,
  };
}

const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });

/** GET one check from the provider; ok when it answered 200 with a verdict. */
export function providerCheck(baseUrl: string, path: string): Operation {
  return async () => {
    const response = await request(`${baseUrl}${path}`, { dispatcher: agent });
    const doc = (await response.body.json()) as { verdict?: string };
    return response.statusCode === 200 && typeof doc.verdict === 'string';
  };
}

/** The same PromQL a check sends, straight to Prometheus, round after round (queries of a round concurrently). */
export function directQueries(prometheusUrl: string, rounds: readonly (readonly string[])[]): Operation {
  return async () => {
    let ok = true;
    for (const round of rounds) {
      const answers = await Promise.all(
        round.map(async (query) => {
          const response = await request(`${prometheusUrl}/api/v1/query`, {
            method: 'POST',
            dispatcher: agent,
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: new URLSearchParams({ query }).toString(),
          });
          const doc = (await response.body.json()) as { status?: string };
          return response.statusCode === 200 && doc.status === 'success';
        }),
      );
      ok &&= answers.every(Boolean);
    }
    return ok;
  };
}

/** The provider's own /metrics, summed per metric name and per `name{label="value"}` for the labels given. */
export async function providerMetrics(baseUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([^ ]+)/.exec(line);
    if (match === null) continue;
    const [, name, labels = '', raw] = match;
    const value = Number(raw);
    out.set(name!, (out.get(name!) ?? 0) + value);
    const result = /result="([a-z]+)"/.exec(labels);
    if (result !== null) out.set(`${name}{${result[1]}}`, value);
  }
  return out;
}

export function delta(after: Map<string, number>, before: Map<string, number>, key: string): number {
  return (after.get(key) ?? 0) - (before.get(key) ?? 0);
}

export async function closeAgent(): Promise<void> {
  await agent.close();
}
