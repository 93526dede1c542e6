// How to ask Prometheus: its HTTP query API over undici, with the authentication schemes hosted and multi-tenant
// Prometheus-compatible backends use (bearer token, basic auth, tenant headers such as X-Scope-OrgID, custom CA).
// Every failure leaves as a typed error; the caller never sees a half-parsed answer.
import { Agent, errors as undiciErrors, request } from 'undici';
import {
  BackendError,
  BackendTimeoutError,
  BackendUnreachableError,
  UnexpectedDataError,
} from '../../errors.js';

export interface PrometheusClientOptions {
  readonly url: string;
  readonly bearerToken?: string;
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly headers?: Readonly<Record<string, string>>;
  /** PEM bundle of the CA that signed Prometheus' certificate. */
  readonly ca?: string;
  /** Skip TLS verification (test clusters only). */
  readonly insecureSkipVerify?: boolean;
  /** Upper bound for one query, within the request's own deadline. */
  readonly timeoutMs: number;
}

/** One sample of an instant vector: its labels and value. */
export interface VectorSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Response bodies larger than this are refused: a sane vLLM query never returns so much. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export class PrometheusClient {
  private readonly agent: Agent;
  private readonly baseUrl: URL;
  private readonly headers: Record<string, string>;
  /** The credentials this client sends, to scrub from anything a backend echoes back. */
  private readonly secrets: string[] = [];

  constructor(private readonly options: PrometheusClientOptions) {
    this.baseUrl = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    this.agent = new Agent({
      connect: { ca: options.ca, rejectUnauthorized: !options.insecureSkipVerify },
      keepAliveTimeout: 30_000,
      connections: 64,
    });
    this.headers = { accept: 'application/json', ...options.headers };
    if (options.bearerToken !== undefined) {
      this.headers.authorization = `Bearer ${options.bearerToken}`;
      this.secrets.push(options.bearerToken);
    } else if (options.basicAuth !== undefined) {
      const { username, password } = options.basicAuth;
      const encoded = Buffer.from(`${username}:${password}`).toString('base64');
      this.headers.authorization = `Basic ${encoded}`;
      this.secrets.push(password, encoded);
    }
  }

  /** Runs an instant query at "now" and returns its vector; any other result type is unexpected data. */
  async queryVector(promql: string, signal?: AbortSignal): Promise<VectorSample[]> {
    const body = await this.post('api/v1/query', new URLSearchParams({ query: promql }), signal);
    let data: QueryData;
    try {
      data = parseQueryResponse(body);
    } catch (error) {
      if (error instanceof BackendError)
        throw new BackendError(this.scrub(error.message), { ...error.details });
      throw error;
    }
    if (data.resultType !== 'vector') {
      throw new UnexpectedDataError(`Prometheus answered a ${data.resultType} where a vector was expected`);
    }
    return data.result.map(parseSample);
  }

  /** Readiness of the backend: Prometheus' /-/ready, or a trivial query for backends without it. */
  async ready(signal?: AbortSignal): Promise<void> {
    await this.queryVector('vector(1)', signal);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async post(path: string, form: URLSearchParams, signal?: AbortSignal): Promise<string> {
    // One controller per query, its timer cleared as soon as the answer is in: AbortSignal.timeout would leave a
    // timer behind every query that fires (and builds an abort reason) seconds after the answer came.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const abort = () => controller.abort();
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await this.send(path, form, controller.signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  }

  private async send(path: string, form: URLSearchParams, combined: AbortSignal): Promise<string> {
    const url = new URL(path, this.baseUrl);
    let response;
    try {
      response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: combined,
      });
    } catch (error) {
      throw transportError(error, combined, this.options.timeoutMs);
    }
    let text: string;
    try {
      text = await readLimited(response.body, MAX_RESPONSE_BYTES);
    } catch (error) {
      throw transportError(error, combined, this.options.timeoutMs);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw new BackendError(
        `Prometheus answered HTTP ${response.statusCode}: ${this.scrub(errorText(text))}`,
        {
          status: response.statusCode,
        },
      );
    }
    return text;
  }

  /** A backend (or a proxy in front of it) may echo the credential in its error text; it never goes further. */
  private scrub(text: string): string {
    return this.secrets.reduce((out, secret) => out.replaceAll(secret, '[redacted]'), text);
  }
}

interface QueryData {
  readonly resultType: string;
  readonly result: readonly unknown[];
}

function parseQueryResponse(text: string): QueryData {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UnexpectedDataError('Prometheus answered a body that is not JSON');
  }
  if (!isRecord(doc)) throw new UnexpectedDataError('Prometheus answered JSON that is not an object');
  if (doc.status === 'error') {
    throw new BackendError(`Prometheus rejected the query: ${String(doc.errorType)}: ${String(doc.error)}`);
  }
  const data = doc.data;
  if (
    doc.status !== 'success' ||
    !isRecord(data) ||
    typeof data.resultType !== 'string' ||
    !Array.isArray(data.result)
  ) {
    throw new UnexpectedDataError('Prometheus answered JSON without status "success" and data.result');
  }
  return { resultType: data.resultType, result: data.result };
}

function parseSample(item: unknown): VectorSample {
  if (!isRecord(item) || !isRecord(item.metric) || !Array.isArray(item.value) || item.value.length !== 2) {
    throw new UnexpectedDataError('Prometheus answered a malformed vector sample');
  }
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(item.metric)) labels[k] = String(v);
  const raw = item.value[1];
  if (typeof raw !== 'string')
    throw new UnexpectedDataError('Prometheus answered a sample value that is not a string');
  return { labels, value: parseSampleValue(raw) };
}

/** Prometheus' sample values: decimal strings, "NaN", "+Inf", "-Inf". */
function parseSampleValue(raw: string): number {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  if (raw === 'NaN') return Number.NaN;
  const value = Number(raw);
  if (raw.trim() === '' || Number.isNaN(value)) {
    throw new UnexpectedDataError(
      `Prometheus answered a sample value that is not a number: ${raw.slice(0, 40)}`,
    );
  }
  return value;
}

function transportError(error: unknown, signal: AbortSignal, timeoutMs: number): Error {
  if (
    signal.aborted ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  ) {
    return new BackendTimeoutError(
      `Prometheus did not answer within ${timeoutMs} ms or the request deadline`,
    );
  }
  if (error instanceof UnexpectedDataError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BackendUnreachableError(`Prometheus could not be reached: ${message}`);
}

async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new UnexpectedDataError(`Prometheus answered more than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorText(text: string): string {
  try {
    const doc: unknown = JSON.parse(text);
    if (isRecord(doc) && typeof doc.error === 'string') return doc.error.slice(0, 200);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200).replace(/\s+/g, ' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
