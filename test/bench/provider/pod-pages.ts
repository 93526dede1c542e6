// Many vLLM pods' metric pages from one lightweight HTTP server (/pods/<i>/metrics), so the embedded scrape source
// can be measured scraping hundreds of pods without hundreds of emulator processes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { podPage } from '../../reliability/faulty-exporter.js';
import { NAMESPACE } from '../../reliability/vllm-history.js';

export interface PodPages {
  readonly targets: { url: string; labels: Record<string, string> }[];
  readonly scrapes: number;
  /** Series on each page: what the scrape source stores per pod. */
  readonly seriesPerPod: number;
  close(): Promise<void>;
}

/**
 * The page with its gauges moving from scrape to scrape, as a busy server's do: KV-cache usage as an arbitrary
 * fraction and the queue lengths as small integers. Constant gauges would compress to nothing and flatter the
 * scrape source's memory.
 */
function withMovingGauges(page: string, pod: number): string {
  return page
    .replace(
      /^(vllm:kv_cache_usage_perc\{[^}]*\}) \S+$/m,
      (_, series: string) => `${series} ${0.2 + 0.6 * Math.random()}`,
    )
    .replace(
      /^(vllm:num_requests_waiting\{[^}]*\}) \S+$/m,
      (_, series: string) => `${series} ${Math.floor(Math.random() * 6)}`,
    )
    .replace(
      /^(vllm:num_requests_running\{[^}]*\}) \S+$/m,
      (_, series: string) => `${series} ${4 + ((pod + Math.floor(Math.random() * 8)) % 12)}`,
    );
}

export async function startPodPages(count: number): Promise<PodPages> {
  const started = performance.now();
  let scrapes = 0;
  const server: Server = createServer((req, res) => {
    const match = /^\/pods\/(\d+)\/metrics$/.exec(req.url ?? '');
    if (match === null || Number(match[1]) >= count) {
      res.writeHead(404).end();
      return;
    }
    scrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(withMovingGauges(podPage('none', (performance.now() - started) / 1000 + 600), Number(match[1])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    targets: Array.from({ length: count }, (_, i) => ({
      url: `http://127.0.0.1:${port}/pods/${i}/metrics`,
      labels: {
        namespace: NAMESPACE,
        rollouts_pod_template_hash: i % 2 === 0 ? 'canary' : 'stable',
        pod: `vllm-${i}`,
      },
    })),
    get scrapes() {
      return scrapes;
    },
    seriesPerPod: podPage('none', 600)
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#')).length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
