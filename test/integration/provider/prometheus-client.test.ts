// The Prometheus client's timeouts, against a local HTTP server that answers as Prometheus' query API does but can
// be told to wait: a query ends at its own timeout or at the caller's deadline, whichever comes first.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendTimeoutError } from '../../../metrics-provider/errors.js';
import { PrometheusClient } from '../../../metrics-provider/sources/prometheus/client.js';

const VECTOR = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: { le: '+Inf' }, value: [1700000000, '42'] }] },
});

let server: Server;
let url: string;
/** How long the server waits before answering, per query text. */
const delays = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const query = new URLSearchParams(body).get('query') ?? '';
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end(VECTOR),
        delays.get(query) ?? 0,
      ).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('PrometheusClient timeouts', () => {
  it('when Prometheus is slower than timeoutMs then the query fails as a timeout at about timeoutMs', async () => {
    delays.set('slow', 2000);
    const client = new PrometheusClient({ url, timeoutMs: 200 });
    try {
      const started = performance.now();
      await expect(client.queryVector('slow')).rejects.toBeInstanceOf(BackendTimeoutError);
      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(190);
      expect(took).toBeLessThan(1500);
    } finally {
      await client.close();
    }
  });

  it("when the caller's deadline comes before timeoutMs then the query ends at the deadline", async () => {
    delays.set('slower', 3000);
    const client = new PrometheusClient({ url, timeoutMs: 5000 });
    try {
      const started = performance.now();
      await expect(client.queryVector('slower', AbortSignal.timeout(200))).rejects.toBeInstanceOf(
        BackendTimeoutError,
      );
      expect(performance.now() - started).toBeLessThan(1500);
      const aborted = new AbortController();
      aborted.abort();
      await expect(client.queryVector('slower', aborted.signal)).rejects.toBeInstanceOf(BackendTimeoutError);
    } finally {
      await client.close();
    }
  });
});
