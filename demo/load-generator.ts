// A load generator for OpenAI-compatible servers: sends chat completions at a given rate or as fast as a
// concurrency allows, splitting each request between stable and canary by weight (what a traffic router does
// during a canary step). The demo, the integration tests and the benchmarks drive the emulators with it.
import { setMaxListeners } from 'node:events';
import { request } from 'undici';

export interface LoadTarget {
  readonly url: string;
  readonly model: string;
}

export interface LoadOptions {
  readonly stable: LoadTarget;
  readonly canary?: LoadTarget;
  /** Share of requests sent to the canary, 0-100. */
  readonly canaryWeight: number;
  /** Total requests to send. */
  readonly requests: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Requests per second across both tracks; unset: as fast as concurrency allows. */
  readonly ratePerSecond?: number;
  /** Chosen in turn for each request; a prompt of the emulator's answer book is answered from it. */
  readonly prompts?: readonly string[];
  readonly maxTokens?: number;
  /** Deterministic split: request i goes to the canary when (i * 0.618...) mod 1 < weight. */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  /** Counts requests sent per track as they go (the demo's live view reads it). */
  readonly tallies?: { stable: number; canary: number };
}

export interface TrackTally {
  sent: number;
  ok: number;
  failed: number;
}

export interface LoadResult {
  readonly stable: TrackTally;
  readonly canary: TrackTally;
}

const GOLDEN = 0.6180339887498949;

export async function generateLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.canaryWeight < 0 || options.canaryWeight > 100)
    throw new Error('canaryWeight must be from 0 to 100');
  if (options.canaryWeight > 0 && options.canary === undefined)
    throw new Error('a canary weight needs a canary target');
  const result: LoadResult = { stable: tally(), canary: tally() };
  const prompts = options.prompts ?? ['Say hello.'];
  const offset = ((options.seed ?? 0) * GOLDEN) % 1;
  const intervalMs = options.ratePerSecond === undefined ? 0 : 1000 / options.ratePerSecond;
  // Every worker waiting for its next slot listens on the one stop signal.
  if (options.signal !== undefined) setMaxListeners(4 * Math.max(1, options.concurrency), options.signal);
  const started = performance.now();
  let next = 0;

  const worker = async () => {
    while (next < options.requests && !options.signal?.aborted) {
      const i = next++;
      if (intervalMs > 0) {
        const due = started + i * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait, options.signal);
      }
      const toCanary = (offset + i * GOLDEN) % 1 < options.canaryWeight / 100;
      const target = toCanary ? options.canary! : options.stable;
      const t = toCanary ? result.canary : result.stable;
      t.sent++;
      if (options.tallies !== undefined) options.tallies[toCanary ? 'canary' : 'stable']++;
      // The stop signal ends the loop but lets requests in flight finish: a dropped connection would count as an
      // aborted request in vLLM's metrics, which is not what a router shifting weight does.
      const ok = await chat(target, prompts[i % prompts.length]!, options.maxTokens ?? 64);
      if (ok) t.ok++;
      else t.failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return result;
}

async function chat(target: LoadTarget, prompt: string, maxTokens: number): Promise<boolean> {
  try {
    const response = await request(`${target.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: target.model,
        messages: [{ role: 'user', content: prompt }],
        max_tokens: maxTokens,
        temperature: 0,
      }),
    });
    await response.body.dump();
    return response.statusCode >= 200 && response.statusCode < 300;
  } catch {
    return false;
  }
}

function tally(): TrackTally {
  return { sent: 0, ok: 0, failed: 0 };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
