// Fetching one page for the scraper: the Accept header of the text format, a size limit, and the checks that
// turn a short body into an error; plus the semaphore that bounds scrapes in flight.
import { ExpositionError } from './exposition-parser.js';
import type { FetchLike } from './scraper.js';

const ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

/** GETs one page: status 200 and the text format only, at most `maxBodyBytes`, and exactly the announced length. */
export async function fetchPage(
  fetch: FetchLike,
  url: string,
  signal: AbortSignal,
  limits: { readonly timeoutMs: number; readonly maxBodyBytes: number },
): Promise<string> {
  const response = await fetch(url, {
    signal,
    headers: {
      accept: ACCEPT,
      'user-agent': 'vllm-canary-scrape',
      'x-prometheus-scrape-timeout-seconds': String(limits.timeoutMs / 1000),
    },
  });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`HTTP ${response.status}`);
  }
  if (/openmetrics/i.test(response.headers.get('content-type') ?? '')) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error('the target answered OpenMetrics; only the text format 0.0.4 is parsed');
  }
  const bytes = await readLimited(response, limits.maxBodyBytes);
  const declared = response.headers.get('content-length');
  if (
    declared !== null &&
    response.headers.get('content-encoding') === null &&
    Number(declared) !== bytes.length
  ) {
    throw new ExpositionError(`the page is ${bytes.length} bytes of the ${declared} announced: cut short`, 0);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`the page exceeds ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** At most `limit` tasks at once; a finishing task hands its slot straight to the next waiter. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }
}
