// `server.workers`: the provider as a primary and its workers (node:cluster), against real Prometheus and as real
// processes. When it runs with 2 workers then both answer on the one port, /metrics counts every worker's answers
// whichever worker Prometheus reaches, a killed worker is replaced, SIGTERM stops them all with exit 0, and a
// worker that cannot listen stops the provider with exit 1.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, waitFor, type RunningPrometheus } from '../harness/index.js';
import { providerProcess, type ProviderProcess } from './provider-process.js';
import { checkUrl, vllmHistory } from './vllm-history.js';

let prometheus: RunningPrometheus;
const processes: ProviderProcess[] = [];

beforeAll(async () => {
  prometheus = await startPrometheus({
    backfill: vllmHistory({
      tracks: [
        { hash: 'stable', pods: 1 },
        { hash: 'canary', pods: 1 },
      ],
      durationSeconds: 1800,
    }),
  });
}, 120_000);

afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL');
  await prometheus?.stop();
});

/** Starts it and waits until every worker listens (/healthz answers as soon as the first one does). */
async function startAll(p: ProviderProcess): Promise<number[]> {
  await p.start();
  await waitFor(() => p.log.includes('provider listening with all workers'), {
    timeoutMs: 30_000,
    description: 'all workers listening',
  });
  return childrenOf(p.pid!);
}

async function serve(workers: number): Promise<ProviderProcess> {
  const p = await providerProcess({
    config: {
      source: { type: 'prometheus', prometheus: { url: prometheus.url, cacheTtlSeconds: 0 } },
      server: { workers },
      logLevel: 'info',
    },
    log: 'memory',
  });
  processes.push(p);
  return p;
}

/** Pids of the workers: the primary's children that run `serve` (not, say, a compiler the loader started). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces, so split after it.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const serving = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes('serve');
        return ppid === pid && serving ? [Number(entry)] : [];
      } catch {
        return []; // the process ended while being read
      }
    });
}

/** Asks over a new connection each time, so the primary spreads the requests over its workers. */
function askFresh(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function verdictFresh(url: string): Promise<{ status: number; verdict?: string }> {
  const { status, body } = await askFresh(url);
  return { status, verdict: (JSON.parse(body) as { verdict?: string }).verdict };
}

function counter(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const LATENCY = checkUrl('latency', 'canary', 'stable', { signal: 'e2e', quantile: 0.95, maxRatio: 1.5 });
const LATENCY_200 = 'vllm_canary_http_requests_total{route="/api/v1/checks/latency",status="200"}';

describe('a provider with 2 workers', () => {
  it('when it runs with 2 workers then both answer on the one port and /metrics sums the answers of both, whichever worker serves it', async () => {
    const p = await serve(2);
    const workers = await startAll(p);
    expect(workers).toHaveLength(2);
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await verdictFresh(`${p.url}${LATENCY}`));
    expect(answers.every((a) => a.status === 200 && a.verdict === 'pass')).toBe(true);
    // Both workers answered: each logs its answers with its own pid.
    const answeredBy = new Set(
      p.log
        .split('\n')
        .filter((l) => l.includes('"msg":"answered"'))
        .map((l) => (JSON.parse(l) as { pid: number }).pid),
    );
    expect([...answeredBy].sort()).toEqual(workers.sort());
    for (let i = 0; i < 4; i++) {
      const metrics = await askFresh(`${p.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(counter(metrics.body, LATENCY_200), metrics.body).toBe(20);
    }
  }, 60_000);

  it('when a worker is killed then another takes its place and the provider keeps answering', async () => {
    const p = await serve(2);
    const [victim, survivor] = await startAll(p);
    process.kill(victim!, 'SIGKILL');
    await waitFor(
      async () => {
        const now = childrenOf(p.pid!);
        return now.length === 2 && !now.includes(victim!) && now.includes(survivor!);
      },
      { timeoutMs: 20_000, description: 'a replacement worker' },
    );
    for (let i = 0; i < 6; i++)
      expect(await verdictFresh(`${p.url}${LATENCY}`)).toEqual({ status: 200, verdict: 'pass' });
    expect(p.log).toContain('a worker died; starting another');
  }, 60_000);

  it('when the primary gets SIGTERM then every worker stops and it exits with 0', async () => {
    const p = await serve(2);
    const workers = await startAll(p);
    expect(await p.kill('SIGTERM')).toBe(0);
    const alive = workers.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  }, 60_000);

  it('when a worker cannot listen (the port is taken) then the provider stops with exit 1 and says why', async () => {
    const p = await serve(2);
    // It answers, so that waiting for the provider's /healthz cannot hang on it.
    const squatter = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => squatter.listen(p.port, '127.0.0.1', resolve));
    try {
      await expect(p.start()).rejects.toThrow(/exited with 1/);
      expect(p.log).toContain('a worker exited before it listened; stopping the provider');
      expect(p.log).toContain('EADDRINUSE');
    } finally {
      squatter.close();
    }
  }, 60_000);
});
