// A small typed client for the parts of the Prometheus HTTP API the tests use.

export type Labels = Readonly<Record<string, string>>;

/** One series of an instant vector. `timestamp` in Unix seconds. */
export interface VectorSample {
  readonly metric: Labels;
  readonly value: number;
  readonly timestamp: number;
}

export type InstantResult =
  | { readonly resultType: 'vector'; readonly samples: readonly VectorSample[] }
  | { readonly resultType: 'scalar'; readonly value: number; readonly timestamp: number };

/** One series of a range query: `[timestamp, value]` points. */
export interface RangeSeries {
  readonly metric: Labels;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface TargetHealth {
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly labels: Labels;
}

/** When to evaluate: a Date or Unix seconds. */
export type QueryTime = Date | number;

type RawPoint = [number, string];
interface RawResponse {
  status: 'success' | 'error';
  data?: unknown;
  errorType?: string;
  error?: string;
}

/** Prometheus writes special floats as strings: "NaN", "+Inf", "-Inf". */
export function parseSampleValue(raw: string): number {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(raw);
}

function unixSeconds(time: QueryTime): string {
  return String(time instanceof Date ? time.getTime() / 1000 : time);
}

export class PrometheusApi {
  constructor(readonly url: string) {}

  private async get(path: string, params: Record<string, string> = {}): Promise<unknown> {
    const query = new URLSearchParams(params).toString();
    const response = await fetch(`${this.url}${path}${query ? `?${query}` : ''}`, {
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as RawResponse;
    if (body.status !== 'success') {
      throw new Error(`Prometheus ${path} failed (${response.status} ${body.errorType}): ${body.error}`);
    }
    return body.data;
  }

  /** An instant query. */
  async query(promql: string, time?: QueryTime): Promise<InstantResult> {
    const params: Record<string, string> = { query: promql };
    if (time !== undefined) params.time = unixSeconds(time);
    const data = (await this.get('/api/v1/query', params)) as { resultType: string; result: unknown };
    if (data.resultType === 'scalar') {
      const [timestamp, value] = data.result as RawPoint;
      return { resultType: 'scalar', value: parseSampleValue(value), timestamp };
    }
    if (data.resultType !== 'vector') {
      throw new Error(`expected a vector or scalar from ${promql}, got ${data.resultType}`);
    }
    const result = data.result as Array<{ metric: Labels; value: RawPoint }>;
    return {
      resultType: 'vector',
      samples: result.map(({ metric, value: [timestamp, value] }) => ({
        metric,
        timestamp,
        value: parseSampleValue(value),
      })),
    };
  }

  /** The instant vector of a query (a scalar result is an error). */
  async queryVector(promql: string, time?: QueryTime): Promise<readonly VectorSample[]> {
    const result = await this.query(promql, time);
    if (result.resultType !== 'vector') throw new Error(`expected a vector from ${promql}, got a scalar`);
    return result.samples;
  }

  /** The single number a query yields: a scalar, or a vector of exactly one sample. */
  async queryNumber(promql: string, time?: QueryTime): Promise<number> {
    const result = await this.query(promql, time);
    if (result.resultType === 'scalar') return result.value;
    if (result.samples.length !== 1) {
      throw new Error(`expected one sample from ${promql}, got ${result.samples.length}`);
    }
    return (result.samples[0] as VectorSample).value;
  }

  /** A range query from `start` to `end` every `stepSeconds`. */
  async queryRange(
    promql: string,
    start: QueryTime,
    end: QueryTime,
    stepSeconds: number,
  ): Promise<readonly RangeSeries[]> {
    const data = (await this.get('/api/v1/query_range', {
      query: promql,
      start: unixSeconds(start),
      end: unixSeconds(end),
      step: String(stepSeconds),
    })) as { result: Array<{ metric: Labels; values: RawPoint[] }> };
    return data.result.map(({ metric, values }) => ({
      metric,
      points: values.map(([t, v]) => [t, parseSampleValue(v)] as const),
    }));
  }

  /** The active scrape targets and their health. */
  async targets(): Promise<readonly TargetHealth[]> {
    const data = (await this.get('/api/v1/targets', { state: 'active' })) as {
      activeTargets: Array<{
        scrapeUrl: string;
        health: TargetHealth['health'];
        lastError: string;
        labels: Labels;
      }>;
    };
    return data.activeTargets.map(({ scrapeUrl, health, lastError, labels }) => ({
      scrapeUrl,
      health,
      lastError,
      labels,
    }));
  }
}
