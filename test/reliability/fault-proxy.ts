// An HTTP proxy in front of a real Prometheus that injects one fault at a time: delays, error statuses, bodies that
// are not JSON, other result types, NaN/+Inf samples, empty results, or a connection cut mid-answer. In `pass` mode
// it forwards every request unchanged, so the provider behind it sees the real Prometheus.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { request } from 'undici';

export type Fault =
  | { readonly kind: 'pass' }
  /** Forward, but hold every answer this long first. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Answer this status with a Prometheus-style error document (or `body`). */
  | { readonly kind: 'status'; readonly status: number; readonly body?: string }
  /** Answer 200 with a body that is not JSON (a truncated real answer). */
  | { readonly kind: 'malformed' }
  /** Answer a well-formed success of another result type. */
  | { readonly kind: 'result-type'; readonly resultType: 'matrix' | 'scalar' | 'string' }
  /** Forward, then replace every sample value of the real answer. */
  | { readonly kind: 'sample-value'; readonly value: 'NaN' | '+Inf' | '-Inf' }
  /** Answer a success with an empty vector. */
  | { readonly kind: 'empty' }
  /** Send the headers and half of the real body, then cut the connection. */
  | { readonly kind: 'cut' }
  /** Answer 401 with the request's Authorization header in the error text (a backend that echoes credentials). */
  | { readonly kind: 'echo-authorization' };

export interface FaultProxy {
  readonly url: string;
  /** Requests seen since start (any mode). */
  readonly requests: number;
  /** Requests not answered yet. */
  readonly inFlight: number;
  /** Every distinct Authorization header received (to prove a credential was sent). */
  readonly authorizations: ReadonlySet<string>;
  set(fault: Fault): void;
  close(): Promise<void>;
}

const OTHER_RESULTS: Record<'matrix' | 'scalar' | 'string', unknown> = {
  matrix: [
    {
      metric: { le: '+Inf' },
      values: [
        [1, '3'],
        [2, '4'],
      ],
    },
  ],
  scalar: [1_700_000_000, '1'],
  string: [1_700_000_000, 'hello'],
};

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let fault: Fault = { kind: 'pass' };
  let requests = 0;
  let inFlight = 0;
  const authorizations = new Set<string>();
  const sockets = new Set<Socket>();

  const forward = async (req: IncomingMessage, body: Buffer) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
    }
    const response = await request(`${upstream}${req.url ?? '/'}`, {
      method: (req.method ?? 'GET') as 'GET' | 'POST',
      headers,
      body: body.length > 0 ? body : undefined,
    });
    return { status: response.statusCode, text: await response.body.text() };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    requests++;
    if (typeof req.headers.authorization === 'string') authorizations.add(req.headers.authorization);
    const current = fault;
    const json = (status: number, doc: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    };
    switch (current.kind) {
      case 'pass': {
        const { status, text } = await forward(req, body);
        res.writeHead(status, { 'content-type': 'application/json' }).end(text);
        return;
      }
      case 'delay': {
        await new Promise((r) => setTimeout(r, current.ms));
        if (res.destroyed) return;
        const { status, text } = await forward(req, body);
        res.writeHead(status, { 'content-type': 'application/json' }).end(text);
        return;
      }
      case 'status':
        res
          .writeHead(current.status, { 'content-type': 'application/json' })
          .end(
            current.body ??
              JSON.stringify({ status: 'error', errorType: 'internal', error: 'injected fault' }),
          );
        return;
      case 'malformed': {
        const { text } = await forward(req, body);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(text.slice(0, Math.max(1, text.length >> 1)));
        return;
      }
      case 'result-type':
        json(200, {
          status: 'success',
          data: { resultType: current.resultType, result: OTHER_RESULTS[current.resultType] },
        });
        return;
      case 'sample-value': {
        const { status, text } = await forward(req, body);
        const doc = JSON.parse(text) as { data?: { result?: { value?: [number, string] }[] } };
        for (const sample of doc.data?.result ?? []) {
          if (Array.isArray(sample.value)) sample.value[1] = current.value;
        }
        json(status, doc);
        return;
      }
      case 'empty':
        json(200, { status: 'success', data: { resultType: 'vector', result: [] } });
        return;
      case 'echo-authorization':
        json(401, {
          status: 'error',
          errorType: 'auth',
          error: `invalid credentials: ${req.headers.authorization ?? ''}`,
        });
        return;
      case 'cut': {
        const { text } = await forward(req, body);
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(text)),
        });
        res.write(text.slice(0, Math.max(1, text.length >> 1)));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      handle(req, res, Buffer.concat(chunks))
        .catch(() => res.socket?.destroy())
        .finally(() => inFlight--);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get inFlight() {
      return inFlight;
    },
    authorizations,
    set(next: Fault) {
      fault = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
