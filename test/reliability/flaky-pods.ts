// vLLM pods for the embedded scrape source's fault rows: each pod its own HTTP server (so it can vanish: connection
// refused), serving a healthy page until told otherwise — 500, half a page, counters reset, or both metric
// generations on one page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { podPage } from './faulty-exporter.js';

export type PodMode = 'healthy' | '500' | 'half-page' | 'reset' | 'both-generations';

export interface FlakyPod {
  readonly url: string;
  set(mode: PodMode): void;
  /** Closes the server: the next scrape is refused. */
  vanish(): Promise<void>;
}

export async function startFlakyPod(): Promise<FlakyPod> {
  let mode: PodMode = 'healthy';
  let origin = performance.now() - 600_000; // ten minutes of counters already
  const server: Server = createServer((_req, res) => {
    if (mode === '500') {
      res.writeHead(500).end('internal error');
      return;
    }
    const page = podPage('none', (performance.now() - origin) / 1000);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    if (mode === 'half-page') res.end(page.slice(0, Math.floor(page.length / 2)));
    else if (mode === 'both-generations') {
      res.end(
        `${page}# TYPE vllm:gpu_cache_usage_perc gauge\nvllm:gpu_cache_usage_perc{model_name="llama-3-8b",engine="0"} 0.97\n`,
      );
    } else res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    set(next) {
      if (next === 'reset') origin = performance.now();
      mode = next;
    },
    vanish: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
