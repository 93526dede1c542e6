// A stand-in for the vllm-canary provider on 127.0.0.1 that answers a script, following the HTTP contract of
// docs/api.md: 2xx JSON verdicts, non-2xx JSON errors; plus what a broken provider could do (slow, not JSON).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Answer =
  | 'pass'
  | 'fail'
  | 'inconclusive'
  | 'error-502'
  | 'error-500'
  | 'not-json'
  | { readonly slowMs: number; readonly then: Answer };

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface ScriptedProvider {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answers in order; the last one repeats. */
  script(answers: readonly Answer[]): void;
  close(): Promise<void>;
}

function verdict(v: 'pass' | 'fail' | 'inconclusive', n: number) {
  const reasons = {
    pass: 'p95 e2e latency: canary 1.02s vs stable 1.01s, ratio 1.01 within 1.2',
    fail: 'p95 e2e latency: canary 1.42s vs stable 1.01s, ratio 1.41 beyond 1.2',
    inconclusive: 'only 12 canary requests in 5m, fewer than 50',
  };
  return {
    check: 'latency',
    verdict: v,
    label: v === 'fail' ? 'High' : 'Pass',
    reason: `#${n} ${reasons[v]}`,
    value: 1.42,
  };
}

export async function startScriptedProvider(): Promise<ScriptedProvider> {
  let answers: readonly Answer[] = ['pass'];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const n = requests.length;
      const answer = answers[Math.min(n - 1, answers.length - 1)] ?? 'pass';
      const reply = (a: Answer): void => {
        if (typeof a === 'object') {
          setTimeout(() => reply(a.then), a.slowMs);
          return;
        }
        if (a === 'not-json') {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
          return;
        }
        if (a === 'error-502' || a === 'error-500') {
          const status = a === 'error-502' ? 502 : 500;
          res.writeHead(status, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              error: { code: 'backend_unreachable', message: 'Prometheus did not answer' },
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(verdict(a, n)));
      };
      reply(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(next) {
      answers = next;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
