// Hostile input, generated: over 10,000 requests per run against the provider (in-process, real Prometheus source,
// real Prometheus with backfilled history) — arbitrary and near-valid query strings for every check, arbitrary and
// near-valid analysis bodies, odd headers — plus arbitrary YAML for the configuration loader. Invariants: no 5xx
// (Prometheus is healthy), every answer JSON, every 2xx with a verdict, every PromQL query sent of a known shape with
// only valid, escaped values, and huge input refused early without lasting memory growth.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createLogger,
  loadConfig,
  startProvider,
  type RunningProvider,
} from '../../metrics-provider/index.js';
import { ALL_PARAMETERS, CHECK_PARAMETERS } from '../harness/check-parameters.js';
import { startPrometheus, type RunningPrometheus } from '../harness/index.js';
import { providerConfig } from './fixture.js';
import { auditQuery } from './promql-audit.js';
import { MODEL, NAMESPACE, vllmHistory } from './vllm-history.js';

let prometheus: RunningPrometheus;
let provider: RunningProvider;
const queries: string[] = [];
const agent = new Agent({ connections: 16 });
const tally = { requests: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  prometheus = await startPrometheus({
    backfill: vllmHistory({
      tracks: [
        { hash: 'stable', pods: 2 },
        { hash: 'canary', pods: 2 },
      ],
      durationSeconds: 1800,
    }),
  });
  provider = await startProvider(
    providerConfig(prometheus.url, {
      source: { type: 'prometheus', prometheus: { url: prometheus.url, cacheTtlSeconds: 5 } },
      server: { host: '127.0.0.1', port: 0, rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 } },
    }),
    { logger: createLogger('silent'), onQuery: (q) => queries.push(q) },
  );
}, 120_000);

afterAll(async () => {
  await provider?.close();
  await prometheus?.stop();
  await agent.close();
  const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
  console.log(
    `fuzz: ${tally.requests} requests (${statuses.join(', ')}), ${queries.length} PromQL queries audited`,
  );
});

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly doc: Record<string, unknown> | undefined;
}

async function send(
  method: 'GET' | 'POST',
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await request(`${provider.url}${path}`, { method, dispatcher: agent, body, headers });
  const text = await response.body.text();
  tally.requests++;
  tally.byStatus.set(response.statusCode, (tally.byStatus.get(response.statusCode) ?? 0) + 1);
  let doc: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    doc = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    doc = undefined;
  }
  return { status: response.statusCode, text, doc };
}

/** The invariants every answer keeps, whatever was asked. */
function expectSane(answer: Answer, what: string, api = true): void {
  const context = `${what.slice(0, 300)} -> ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.doc, `not a JSON object: ${context}`).toBeDefined();
  expect(answer.status, `server error: ${context}`).toBeLessThan(500);
  if (answer.status >= 200 && answer.status < 300) {
    if (!api) return; // probes and the OpenAPI document: JSON, but no verdict
    expect(['pass', 'fail', 'inconclusive'], context).toContain(answer.doc!.verdict);
  } else {
    expect(typeof (answer.doc!.error as { code?: unknown } | undefined)?.code, context).toBe('string');
  }
}

/** Requests sent at once per generated case: the provider answers them concurrently, as it does Argo's. */
const BATCH = 8;
const batch = <T>(arbitrary: fc.Arbitrary<T>) => fc.array(arbitrary, { minLength: BATCH, maxLength: BATCH });

const CHECKS = Object.keys(CHECK_PARAMETERS);
/** Every parameter, the four that pick the pods (namespace, model, canary, stable) first. */
const PARAMS = ALL_PARAMETERS;
const VALID: Record<string, readonly string[]> = {
  namespace: [NAMESPACE, 'other-ns'],
  model: [MODEL, 'meta-llama/Llama-3.1-8B-Instruct'],
  canary: ['canary', 'abc123'],
  stable: ['stable'],
  by: ['pod-template-hash', 'service'],
  window: ['5m', '10s', '1h', '24h', '30m'],
  minRequests: ['0', '50', '1000'],
  test: ['true', 'false'],
  confidence: ['0.99', '0.5', '0.9999'],
  tolerance: ['0.1', '2'],
  looks: ['1', '5', '100'],
  signal: ['e2e', 'ttft', 'itl', 'queue'],
  quantile: ['0.5', '0.95', '0.99'],
  max: ['0.9', '1', '50'],
  maxRatio: ['1.2', '1.5'],
  maxIncrease: ['0.1', '4'],
  maxPreemptionRate: ['0.5'],
  aggregate: ['max', 'avg'],
  dataset: ['default'],
  min: ['0.8'],
  maxDecrease: ['0.05'],
  minItems: ['20'],
  sample: ['0'],
};

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '"',
    '"} or vector(1) or {a="',
    '\\',
    '\n',
    '%00',
    '%ZZ',
    '%',
    '1e309',
    '-0',
    'NaN',
    '0x10',
    ' 1',
    '\u0000',
    '\uFEFF',
    '..',
    '$(id)',
    'a'.repeat(300),
  ),
  fc.string({ maxLength: 3000 }),
);

const validValue = (param: string) => fc.constantFrom(...(VALID[param] ?? ['1']));

/** A query string close to valid: the required parameters, some valid extras, then mutations. */
const nearValidQuery = fc
  .record({
    extras: fc.subarray(PARAMS.slice(4)),
    mutations: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('replace' as const),
          param: fc.constantFrom(...PARAMS),
          value: hostileString,
        }),
        fc.record({
          kind: fc.constant('repeat' as const),
          param: fc.constantFrom(...PARAMS),
          value: hostileString,
        }),
        fc.record({
          kind: fc.constant('drop' as const),
          param: fc.constantFrom(...PARAMS.slice(0, 4)),
          value: fc.constant(''),
        }),
        fc.record({
          kind: fc.constant('unknown' as const),
          param: fc.string({ maxLength: 12 }),
          value: hostileString,
        }),
      ),
      { maxLength: 3 },
    ),
    seed: fc.nat(),
  })
  .map(({ extras, mutations, seed }) => {
    const pairs: [string, string][] = [
      ['namespace', NAMESPACE],
      ['model', MODEL],
      ['canary', 'canary'],
      ['stable', 'stable'],
      ...extras.map((p, i): [string, string] => {
        const values = VALID[p] ?? ['1'];
        return [p, values[(seed + i) % values.length]!];
      }),
    ];
    for (const m of mutations) {
      const i = pairs.findIndex(([k]) => k === m.param);
      if (m.kind === 'replace' && i >= 0) pairs[i] = [m.param, m.value];
      else if (m.kind === 'drop' && i >= 0) pairs.splice(i, 1);
      else pairs.push([m.param, m.value]);
    }
    return new URLSearchParams(pairs).toString();
  });

/** A raw query string: any characters, percent signs and separators, not encoded. */
const rawQuery = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PARAMS), fc.string({ unit: 'grapheme-ascii', maxLength: 8 })),
      fc.oneof(
        validValue('window'),
        fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
        fc.string({ unit: 'grapheme', maxLength: 10 }),
      ),
    ),
    { maxLength: 12 },
  )
  .map((pairs) =>
    pairs
      .map(([k, v]) => `${encodeURI(k).replace(/[#?]/g, '')}=${encodeURI(v).replace(/[#]/g, '%23')}`)
      .join('&'),
  );

describe('fuzzing the HTTP API', () => {
  it('when GET checks get near-valid query strings then every answer is sane (4,000 requests)', async () => {
    await fc.assert(
      fc.asyncProperty(batch(fc.tuple(fc.constantFrom(...CHECKS), nearValidQuery)), async (requests) => {
        await Promise.all(
          requests.map(async ([check, query]) => {
            const path = `/api/v1/checks/${check}?${query}`;
            expectSane(await send('GET', path), path);
          }),
        );
      }),
      { numRuns: 4000 / BATCH },
    );
  }, 120_000);

  it('when GET checks get raw, unencoded query strings and odd paths then every answer is sane (2,000 requests)', async () => {
    await fc.assert(
      fc.asyncProperty(
        batch(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(...CHECKS),
              fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => encodeURIComponent(s)),
            ),
            rawQuery,
          ),
        ),
        async (requests) => {
          await Promise.all(
            requests.map(async ([check, query]) => {
              const path = `/api/v1/checks/${check}?${query}`;
              expectSane(await send('GET', path), path);
            }),
          );
        },
      ),
      { numRuns: 2000 / BATCH },
    );
  }, 120_000);

  it('when POST /api/v1/analysis gets arbitrary JSON then every answer is sane (1,500 requests)', async () => {
    await fc.assert(
      fc.asyncProperty(
        batch(fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 200 }))),
        async (bodies) => {
          await Promise.all(
            bodies.map(async (body) => {
              expectSane(
                await send('POST', '/api/v1/analysis', body, { 'content-type': 'application/json' }),
                body,
              );
            }),
          );
        },
      ),
      { numRuns: 1504 / BATCH },
    );
  }, 120_000);

  it('when POST /api/v1/analysis gets near-valid bodies then every answer is sane (2,000 requests)', async () => {
    const check = fc.record(
      {
        check: fc.oneof(fc.constantFrom(...CHECKS), hostileString),
        weight: fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 5 })),
        critical: fc.oneof(fc.boolean(), fc.string({ maxLength: 5 })),
        maxRatio: fc.oneof(fc.double(), fc.constant(1.5)),
        max: fc.oneof(fc.double({ min: 0, max: 1 }), fc.constant(50)),
        quantile: fc.oneof(fc.double(), fc.constant(0.95)),
        signal: fc.oneof(validValue('signal'), hostileString),
        canary: fc.oneof(validValue('canary'), hostileString, fc.jsonValue()),
      },
      { requiredKeys: ['check'] },
    );
    const body = fc.record(
      {
        namespace: fc.oneof(validValue('namespace'), hostileString),
        model: fc.oneof(validValue('model'), hostileString),
        canary: fc.oneof(validValue('canary'), hostileString),
        stable: fc.oneof(validValue('stable'), hostileString),
        window: fc.oneof(validValue('window'), hostileString),
        checks: fc.oneof(fc.array(check, { maxLength: 20 }), fc.jsonValue()),
        thresholds: fc.record({ pass: fc.double(), marginal: fc.double() }, { requiredKeys: [] }),
      },
      { requiredKeys: ['namespace', 'model', 'canary', 'checks'] },
    );
    await fc.assert(
      fc.asyncProperty(batch(body), async (docs) => {
        await Promise.all(
          docs.map(async (doc) => {
            const text = JSON.stringify(doc);
            expectSane(
              await send('POST', '/api/v1/analysis', text, { 'content-type': 'application/json' }),
              text,
            );
          }),
        );
      }),
      { numRuns: 2000 / BATCH },
    );
  }, 120_000);

  it('when requests carry odd headers and methods then every answer is sane (1,000 requests)', async () => {
    const headerValue = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789 /;=,*+-.:"'.split('')),
      maxLength: 60,
    });
    await fc.assert(
      fc.asyncProperty(
        batch(
          fc.tuple(
            fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
            fc.constantFrom(
              '/api/v1/checks/latency?namespace=llm&model=llama-3-8b&canary=canary&stable=stable',
              '/api/v1/analysis',
              '/healthz',
              '/openapi.json',
              '/api/v1',
              '/',
            ),
            fc.record(
              {
                'content-type': headerValue,
                accept: headerValue,
                authorization: headerValue,
                'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x'),
              },
              { requiredKeys: [] },
            ),
            fc.oneof(fc.constant(undefined), fc.json({ maxDepth: 2 })),
          ),
        ),
        async (requests) => {
          await Promise.all(
            requests.map(async ([method, path, headers, body]) => {
              const answer = await send(
                method as 'GET',
                path,
                method === 'GET' ? undefined : body,
                headers as Record<string, string>,
              );
              expectSane(
                answer,
                `${method} ${path} ${JSON.stringify(headers)} ${body ?? ''}`,
                path.startsWith('/api/'),
              );
            }),
          );
        },
      ),
      { numRuns: 1000 / BATCH },
    );
  }, 120_000);

  it('when all of that is over then every PromQL query sent was of a known shape with valid, escaped values', () => {
    // Enough to audit: a valid request sends about two queries (both tracks share one); the cache takes most repeats.
    expect(queries.length).toBeGreaterThan(20);
    const problems = [...new Set(queries)].flatMap((q) => auditQuery(q).map((p) => `${p} in ${q}`));
    expect(problems).toEqual([]);
  });
});

describe('huge input', () => {
  it('when 200 bodies of 1 MB, 200 URLs of 12 KB and 200 bodies nested 10,000 deep arrive then each is refused (413, 414, 400) and memory stays bounded', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024) });
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const longUrl = `/api/v1/checks/latency?namespace=llm&model=m&canary=c&x=${'y'.repeat(12_000)}`;
    const burst = async () => {
      const answers = await Promise.all(
        Array.from({ length: 200 }, async () => [
          await send('POST', '/api/v1/analysis', big, { 'content-type': 'application/json' }),
          await send('GET', longUrl),
          await send('POST', '/api/v1/analysis', deep, { 'content-type': 'application/json' }),
        ]),
      );
      return answers.flat();
    };
    await burst(); // warm up: buffers, pools
    gc();
    const before = process.memoryUsage();
    const answers = await burst();
    gc();
    const after = process.memoryUsage();
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([413, 414, 400]));
    for (const a of answers) expectSane(a, 'huge input');
    const growthMiB = (after.heapUsed - before.heapUsed) / 2 ** 20;
    const rssGrowthMiB = (after.rss - before.rss) / 2 ** 20;
    console.log(
      `huge input: heap ${growthMiB.toFixed(1)} MiB, RSS ${rssGrowthMiB.toFixed(1)} MiB after 600 refused requests`,
    );
    expect(growthMiB).toBeLessThan(16);
    expect(rssGrowthMiB).toBeLessThan(64);
  }, 60_000);
});

describe('fuzzing the configuration loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vllm-canary-config-fuzz-'));
  const file = join(dir, 'provider.yaml');
  const yamlScalar = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const nearValid = fc
    .record(
      {
        server: fc.record(
          {
            host: yamlScalar,
            port: fc.oneof(fc.integer({ min: -10, max: 70_000 }), yamlScalar),
            deadlineSeconds: yamlScalar,
          },
          { requiredKeys: [] },
        ),
        source: fc.oneof(
          fc.record(
            {
              type: fc.constantFrom('prometheus', 'scrape', 'x'),
              prometheus: fc.record(
                {
                  url: fc.oneof(fc.webUrl(), yamlScalar),
                  cacheTtlSeconds: yamlScalar,
                  headers: fc.dictionary(fc.string({ maxLength: 8 }), yamlScalar),
                },
                { requiredKeys: [] },
              ),
            },
            { requiredKeys: [] },
          ),
          yamlScalar,
        ),
        logLevel: fc.oneof(fc.constantFrom('info', 'debug'), yamlScalar),
        extra: yamlScalar,
      },
      { requiredKeys: [] },
    )
    .map((doc) => JSON.stringify(doc)); // JSON is YAML

  it('when the file holds arbitrary text, YAML or near-valid configuration then loadConfig returns a config or throws ConfigError, nothing else (1,500 files)', () => {
    let loaded = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          nearValid,
          fc.constantFrom(
            '*!',
            `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]`,
            '&a [*a]',
            '!!js/function "x"',
            'a: &a\n  b: *a',
            '--- !!binary\nAAAA',
            'a: b: c',
            '? [a]\n: b',
            '%YAML 1.1\n---\n{}',
            'source: {type: prometheus, prometheus: {url: "http://p:9090"}}',
          ),
        ),
        (text) => {
          writeFileSync(file, text);
          try {
            const config = loadConfig(file);
            loaded++;
            expect(config.source.type).toMatch(/^(prometheus|scrape)$/);
          } catch (error) {
            expect(error, String(error)).toBeInstanceOf(ConfigError);
            expect((error as ConfigError).problems.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 1500 },
    );
    expect(loaded).toBeGreaterThan(0);
  }, 60_000);
});
