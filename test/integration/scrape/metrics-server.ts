// A small /metrics server for the scrape source's integration tests: serves whatever page the test sets, or a
// status, a hang, or a body cut off mid-way, on a chosen loopback address.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { readonly kind: 'page'; readonly body: string }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'hang' }
  /** Announces the whole length, sends half, then drops the connection. */
  | { readonly kind: 'cut'; readonly body: string };

export class MetricsServer {
  behaviour: Behaviour = { kind: 'page', body: '' };
  scrapes = 0;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(host = '127.0.0.1', port = 0): Promise<MetricsServer> {
    const ref: { self?: MetricsServer } = {};
    const server = createServer((req, res) => {
      const self = ref.self!;
      const b = self.behaviour;
      self.scrapes += 1;
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      switch (b.kind) {
        case 'page':
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(b.body);
          return;
        case 'status':
          res.writeHead(b.status, { 'content-type': 'text/plain' }).end('failure\n');
          return;
        case 'hang':
          return; // never answers; the scrape timeout must end it
        case 'cut': {
          const bytes = Buffer.from(b.body);
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-length': bytes.length });
          res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
          return;
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    ref.self = new MetricsServer(server, host, (server.address() as AddressInfo).port);
    return ref.self;
  }

  get url(): string {
    return `http://${this.host}:${this.port}/metrics`;
  }

  serve(body: string): void {
    this.behaviour = { kind: 'page', body };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
