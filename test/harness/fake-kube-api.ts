// An HTTP server that speaks enough of the Kubernetes API for list + watch of Pods and EndpointSlices, with the
// real JSON shapes: List objects with metadata.resourceVersion, items without kind/apiVersion, watch streams of
// newline-delimited {"type","object"} events sent as HTTP chunks, one global resourceVersion counter (as etcd's
// revision), label selectors (=, ==, !=, exists, !exists, in, notin) on list and watch — an object that stops
// matching a watched selector is sent as DELETED, one that starts matching as ADDED — and 410 Gone (an ERROR event
// with a Status) for a resourceVersion older than the retained history. Requests need the bearer token the written
// kubeconfig carries. Like a real API server it serves HTTPS, with a throwaway self-signed certificate made by the
// openssl command; where that command is missing it serves plain HTTP and the kubeconfig says
// insecure-skip-tls-verify (client-node refuses plain HTTP otherwise). Tests change the cluster with
// put()/remove() and watch clients follow.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Resource = 'pods' | 'endpointslices';
type Obj = {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; resourceVersion?: string };
};
type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface Stored {
  readonly resource: Resource;
  readonly object: Record<string, unknown> & Obj;
}
interface LoggedEvent {
  readonly rv: number;
  readonly resource: Resource;
  readonly previous: Stored['object'] | undefined;
  readonly current: Stored['object'] | undefined;
  readonly deleted: boolean;
}
interface Watcher {
  readonly resource: Resource;
  readonly namespace: string;
  readonly selector: Selector;
  readonly res: ServerResponse;
}

const KIND: Record<Resource, { kind: string; apiVersion: string }> = {
  pods: { kind: 'Pod', apiVersion: 'v1' },
  endpointslices: { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1' },
};
const ROUTES: readonly [RegExp, Resource][] = [
  [/^\/api\/v1\/namespaces\/([^/]+)\/pods$/, 'pods'],
  [/^\/apis\/discovery\.k8s\.io\/v1\/namespaces\/([^/]+)\/endpointslices$/, 'endpointslices'],
];

export interface RequestRecord {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly watch: boolean;
}

export class FakeKubeApi {
  readonly requests: RequestRecord[] = [];
  private readonly objects = new Map<string, Stored>();
  private readonly log: LoggedEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private rv = 100;
  private compactedBelow = 0;
  private failures: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly token: string,
    /** PEM of the server's self-signed certificate; undefined when serving plain HTTP. */
    readonly certificate: string | undefined,
  ) {}

  static async start(token = 'fake-token-for-tests'): Promise<FakeKubeApi> {
    const ref: { api?: FakeKubeApi } = {};
    const handler = (req: IncomingMessage, res: ServerResponse) => ref.api!.handle(req, res);
    const tls = selfSignedCertificate();
    const server = tls === undefined ? createServer(handler) : createTlsServer(tls, handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
    ref.api = new FakeKubeApi(server, url, token, tls?.cert);
    return ref.api;
  }

  /** Writes a kubeconfig that points at this server with its token, as `kubectl config view --raw` would. */
  writeKubeconfig(file: string): string {
    const yaml = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: fake',
      '  cluster:',
      `    server: ${this.url}`,
      this.certificate === undefined
        ? '    insecure-skip-tls-verify: true'
        : `    certificate-authority-data: ${Buffer.from(this.certificate).toString('base64')}`,
      'contexts:',
      '- name: fake',
      '  context:',
      '    cluster: fake',
      '    user: tester',
      '    namespace: default',
      'current-context: fake',
      'users:',
      '- name: tester',
      '  user:',
      `    token: ${this.token}`,
      '',
    ].join('\n');
    writeFileSync(file, yaml, { mode: 0o600 });
    return file;
  }

  /** Creates or replaces an object (ADDED or MODIFIED to watchers); returns its new resourceVersion. */
  put(resource: Resource, object: Obj & Record<string, unknown>): string {
    const key = keyOf(resource, object.metadata.namespace, object.metadata.name);
    const previous = this.objects.get(key)?.object;
    const rv = ++this.rv;
    const current = {
      ...KIND[resource],
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(rv) },
    };
    this.objects.set(key, { resource, object: current });
    this.emit({ rv, resource, previous, current, deleted: false });
    return String(rv);
  }

  /** Deletes an object (DELETED to watchers). */
  remove(resource: Resource, namespace: string, name: string): void {
    const key = keyOf(resource, namespace, name);
    const previous = this.objects.get(key)?.object;
    if (previous === undefined) return;
    this.objects.delete(key);
    const rv = ++this.rv;
    const current = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(rv) } };
    this.emit({ rv, resource, previous, current, deleted: true });
  }

  /** Forgets history: a watch from an older resourceVersion gets 410 Gone, and the client must list again. */
  compact(): void {
    this.compactedBelow = this.rv;
  }

  /** Ends every open watch stream, as an API server does when a watch times out. */
  endWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** The next `count` requests answer this status (e.g. 500 or 403). */
  failNext(status: number, count = 1): void {
    this.failures.push(...Array<number>(count).fill(status));
  }

  /** Lists answer only after this many milliseconds (a slow API server). */
  listDelayMs = 0;

  openWatches(resource?: Resource): number {
    return [...this.watchers].filter((w) => resource === undefined || w.resource === resource).length;
  }

  async close(): Promise<void> {
    this.endWatches();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === 'true' || query.watch === '1';
    this.requests.push({ path: url.pathname, query, watch });
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return status(res, 401, 'Unauthorized', 'Unauthorized');
    const failure = this.failures.shift();
    if (failure !== undefined) return status(res, failure, 'InternalError', 'injected failure');
    if (req.method !== 'GET')
      return status(res, 405, 'MethodNotAllowed', `${req.method} is not supported here`);
    const route = ROUTES.map(([re, resource]) => [re.exec(url.pathname), resource] as const).find(([m]) => m);
    if (route === undefined) return status(res, 404, 'NotFound', `the server could not find ${url.pathname}`);
    const namespace = decodeURIComponent(route[0]![1]!);
    const resource = route[1];
    let selector: Selector;
    try {
      selector = parseSelector(query.labelSelector ?? '');
    } catch (error) {
      return status(res, 400, 'BadRequest', (error as Error).message);
    }
    if (watch) this.startWatch(res, resource, namespace, selector, query.resourceVersion ?? '');
    else if (this.listDelayMs > 0)
      setTimeout(() => this.list(res, resource, namespace, selector), this.listDelayMs);
    else this.list(res, resource, namespace, selector);
  }

  private list(res: ServerResponse, resource: Resource, namespace: string, selector: Selector): void {
    const items = [...this.objects.values()]
      .filter((s) => s.resource === resource && s.object.metadata.namespace === namespace)
      .filter((s) => selector(s.object.metadata.labels ?? {}))
      .map(({ object }) => {
        const { kind: _k, apiVersion: _a, ...rest } = object;
        return rest; // list items carry no kind/apiVersion, as the real API answers
      });
    send(res, 200, {
      kind: `${KIND[resource].kind}List`,
      apiVersion: KIND[resource].apiVersion,
      metadata: { resourceVersion: String(this.rv) },
      items,
    });
  }

  private startWatch(
    res: ServerResponse,
    resource: Resource,
    ns: string,
    selector: Selector,
    from: string,
  ): void {
    const since = from === '' || from === '0' ? this.rv : Number(from);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders(); // a watch answers its headers at once; events follow as chunks
    if (!Number.isInteger(since) || since < this.compactedBelow) {
      const gone = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${from} (${this.compactedBelow})`,
        reason: 'Expired',
        code: 410,
      };
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      return;
    }
    const watcher: Watcher = { resource, namespace: ns, selector, res };
    this.watchers.add(watcher);
    res.on('close', () => this.watchers.delete(watcher));
    for (const event of this.log) if (event.rv > since) this.deliver(watcher, event);
  }

  private emit(event: LoggedEvent): void {
    this.log.push(event);
    for (const w of this.watchers) this.deliver(w, event);
  }

  private deliver(w: Watcher, e: LoggedEvent): void {
    if (w.resource !== e.resource) return;
    const object = e.current!;
    if (object.metadata.namespace !== w.namespace) return;
    const was = e.previous !== undefined && w.selector(e.previous.metadata.labels ?? {});
    const is = !e.deleted && e.current !== undefined && w.selector(e.current.metadata.labels ?? {});
    let type: EventType | undefined;
    if (e.deleted) type = was ? 'DELETED' : undefined;
    else if (is) type = was ? 'MODIFIED' : 'ADDED';
    else if (was) type = 'DELETED'; // no longer matches the watched selector
    if (type !== undefined) w.res.write(`${JSON.stringify({ type, object })}\n`);
  }
}

/** A key and certificate for 127.0.0.1, valid for a day; undefined when the openssl command is not there. */
function selfSignedCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'fake-kube-api-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
      ].concat([
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        '/CN=fake-kube-api',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Selector = (labels: Record<string, string>) => boolean;

/** Label selector grammar of the API server: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`. */
export function parseSelector(text: string): Selector {
  const terms: Selector[] = [];
  const parts = text.match(/(?:[^,(]|\([^)]*\))+/g) ?? [];
  for (const raw of parts) {
    const term = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      terms.push((l) => (op === '!=' ? l[key] !== value : l[key] === value));
    } else if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = list.split(',').map((v) => v.trim());
      terms.push((l) => (op === 'in' ? values.includes(l[key] ?? '\0') : !values.includes(l[key] ?? '\0')));
    } else if ((m = /^(!?)([\w./-]+)$/.exec(term))) {
      const [, not, key] = m as unknown as [string, string, string];
      terms.push((l) => (not === '!') !== Object.hasOwn(l, key));
    } else {
      throw new Error(`unable to parse requirement: ${JSON.stringify(term)}`);
    }
  }
  return (labels) => terms.every((t) => t(labels));
}

function keyOf(resource: Resource, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  send(res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
}
