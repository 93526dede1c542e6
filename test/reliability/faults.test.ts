// The fault matrix: each fault injected for real between the provider and a real Prometheus (stopped, paused, slow,
// 5xx, bodies that are not JSON, other result types, NaN/+Inf samples, empty results, broken pages scraped for real,
// the provider process killed mid-analysis), and what the provider answers. The invariant: no fault that keeps the
// provider from measuring ever yields `pass`; where data still arrives intact (slow but in time, after a restart)
// the answer is the one given without the fault. With VLLM_CANARY_WRITE_DOCS=1 the observed table is written to
// docs/reliability.md.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, startProvider, type RunningProvider } from '../../metrics-provider/index.js';
import { startFlakyPod, type FlakyPod, type PodMode } from './flaky-pods.js';
import { waitFor } from '../harness/index.js';
import { ask, askAll, ASKED, compositeBody, summarize, type Observed } from './ask.js';
import type { Fault } from './fault-proxy.js';
import { providerConfig, startReliabilityFixture, type ReliabilityFixture } from './fixture.js';
import { checkUrl, NAMESPACE } from './vllm-history.js';
import { markdownTable, writeBetweenMarkers } from './markers.js';
import { providerProcess } from './provider-process.js';

interface Row {
  readonly fault: string;
  readonly injected: string;
  readonly observed: readonly Observed[];
  /** Data reached the provider intact: the answer must equal the fault-free one (pass allowed). */
  readonly intact?: boolean;
  readonly note?: string;
}

const rows: Row[] = [];
let fx: ReliabilityFixture;
let control: Observed[] = [];
let prometheusVersion = 'unknown';

beforeAll(async () => {
  fx = await startReliabilityFixture();
  const info = (await (await fetch(`${fx.prometheus.url}/api/v1/status/buildinfo`)).json()) as {
    data?: { version?: string };
  };
  prometheusVersion = info.data?.version ?? 'unknown';
  await fx.prometheus.waitForTargetsUp(30_000);
  // A few scrapes of every broken page, so increase() has two points and the pages' figures are there.
  await fx.prometheus
    .waitForSamples(
      'vllm:request_success_total{rollouts_pod_template_hash="inf-queue"}[10s]',
      (s) => s.length > 0,
      30_000,
    )
    .catch(() => undefined);
  await new Promise((r) => setTimeout(r, 3000));
}, 120_000);

afterAll(async () => {
  await fx?.close();
  if (process.env.VLLM_CANARY_WRITE_DOCS === '1') writeDocs();
});

function record(row: Row): Row {
  rows.push(row);
  return row;
}

/** The invariant for one row. */
function expectNoPass(row: Row): void {
  for (const o of row.observed) {
    expect(o.json || o.status === 0, `${row.fault} / ${o.check}: answer is not JSON: ${o.reason}`).toBe(true);
    if (o.status >= 200 && o.status < 300)
      expect(o.verdict, `${row.fault} / ${o.check}: 2xx without verdict`).toBeDefined();
    if (row.intact) {
      const before = control.find((c) => c.check === o.check);
      if (o.status === 200 && before !== undefined)
        expect(o.verdict, `${row.fault} / ${o.check}`).toBe(before?.verdict);
    } else {
      expect(o.verdict, `${row.fault} / ${o.check}: ${o.reason}`).not.toBe('pass');
    }
  }
}

async function underProxyFault(fault: Fault): Promise<Observed[]> {
  fx.proxy.set(fault);
  try {
    return await askAll(fx.proxied.url, 'canary', 'stable');
  } finally {
    // A check answers as soon as one of its queries fails; its other queries may still be on their way, and the
    // cache would hand their (faulty) answers to the next row's identical queries. Let them land first.
    await waitFor(() => fx.proxy.inFlight === 0, { timeoutMs: 15_000, description: 'the proxy to drain' });
    fx.proxy.set({ kind: 'pass' });
  }
}

describe('fault matrix', () => {
  it('when nothing is wrong then every check of the healthy canary passes (the control every fault is held against)', async () => {
    control = await askAll(fx.proxied.url, 'canary', 'stable');
    record({
      fault: 'none (control)',
      injected: 'proxy passes every request through',
      observed: control,
      intact: true,
    });
    for (const o of control) expect([o.check, o.status, o.verdict], o.reason).toEqual([o.check, 200, 'pass']);
  });

  it.each<[string, string, Fault, string]>([
    [
      'Prometheus answers 503',
      'proxy answers 503 with a Prometheus error document',
      { kind: 'status', status: 503 },
      'backend_error',
    ],
    [
      'Prometheus answers 500 with an HTML page',
      'proxy answers 500, text/html body',
      { kind: 'status', status: 500, body: '<html><body>Internal Server Error</body></html>' },
      'backend_error',
    ],
    [
      'Prometheus answers 429 (overloaded querier)',
      'proxy answers 429',
      { kind: 'status', status: 429, body: 'too many outstanding requests' },
      'backend_error',
    ],
    [
      'malformed JSON',
      'proxy sends the first half of the real answer, 200',
      { kind: 'malformed' },
      'unexpected_data',
    ],
    [
      'matrix result',
      'proxy answers resultType "matrix"',
      { kind: 'result-type', resultType: 'matrix' },
      'unexpected_data',
    ],
    [
      'scalar result',
      'proxy answers resultType "scalar"',
      { kind: 'result-type', resultType: 'scalar' },
      'unexpected_data',
    ],
    [
      'string result',
      'proxy answers resultType "string"',
      { kind: 'result-type', resultType: 'string' },
      'unexpected_data',
    ],
    [
      'NaN in every sample',
      'proxy rewrites each sample value of the real answer to "NaN"',
      { kind: 'sample-value', value: 'NaN' },
      'unexpected_data',
    ],
    [
      '+Inf in every sample',
      'proxy rewrites each sample value of the real answer to "+Inf"',
      { kind: 'sample-value', value: '+Inf' },
      'unexpected_data',
    ],
    [
      'connection cut mid-answer',
      'proxy sends headers and half the body, then closes',
      { kind: 'cut' },
      'backend_unreachable',
    ],
    [
      'slow: 6 s per query',
      'proxy holds each answer 6 s (query timeout 5 s)',
      { kind: 'delay', ms: 6000 },
      'backend_timeout',
    ],
  ])(
    'when %s then every check answers a non-2xx JSON error, never pass',
    async (fault, injected, injection, code) => {
      const row = record({ fault, injected, observed: await underProxyFault(injection) });
      expectNoPass(row);
      for (const o of row.observed)
        expect([o.check, o.status >= 500, o.code], o.reason).toEqual([o.check, true, code]);
    },
    30_000,
  );

  it('when Prometheus answers empty vectors then every check is inconclusive (no data), never pass', async () => {
    const row = record({
      fault: 'empty results',
      injected: 'proxy answers an empty vector to every query',
      observed: await underProxyFault({ kind: 'empty' }),
    });
    expectNoPass(row);
    for (const o of row.observed)
      expect([o.check, o.status, o.verdict]).toEqual([o.check, 200, 'inconclusive']);
  });

  it('when the canary hash has no series at all then every check is inconclusive', async () => {
    const row = record({
      fault: 'canary has no series',
      injected: 'real Prometheus; canary=gone (no pod has that hash)',
      observed: await askAll(fx.direct.url, 'gone', 'stable'),
    });
    expectNoPass(row);
    for (const o of row.observed)
      expect([o.check, o.status, o.verdict]).toEqual([o.check, 200, 'inconclusive']);
  });

  it('when each query takes 4.5 s (within the query timeout) then one-round checks answer as without the fault and two-round ones hit the 8 s deadline', async () => {
    const row = record({
      fault: 'slow: 4.5 s per query',
      injected:
        'proxy holds each answer 4.5 s: within the 5 s query timeout, but kv-cache asks in two rounds',
      observed: await underProxyFault({ kind: 'delay', ms: 4500 }),
      intact: true,
      note: 'data that arrives in time is intact, so those answers equal the control; the composite shares the kv-cache queries of the single check and fails with them',
    });
    expectNoPass({ ...row, intact: true });
    const byCheck = Object.fromEntries(row.observed.map((o) => [o.check, o]));
    expect(byCheck['kv-cache'], byCheck['kv-cache']?.reason).toMatchObject({
      status: 504,
      code: 'deadline_exceeded',
    });
    // The composite shares (coalesces) its kv-cache queries with the single check asked a moment earlier; when that
    // check's deadline aborts them, the composite learns it as a query timeout just before its own deadline.
    expect(byCheck.composite?.status, byCheck.composite?.reason).toBe(504);
    expect(['deadline_exceeded', 'backend_timeout']).toContain(byCheck.composite?.code);
    expect(byCheck.latency).toMatchObject({ status: 200, verdict: 'pass' });
  }, 30_000);

  it.each<[string, string, readonly string[], string]>([
    ['NaN KV-cache gauge on a scraped page', 'nan-kv-cache', ['kv-cache'], 'vllm:kv_cache_usage_perc NaN'],
    ['+Inf queue gauge on a scraped page', 'inf-queue', ['queue'], 'vllm:num_requests_waiting +Inf'],
    [
      'NaN request counter on a scraped page',
      'nan-requests',
      ['error-ratio', 'kv-cache', 'queue'],
      'vllm:request_success_total NaN',
    ],
    [
      'histogram missing +Inf on a scraped page',
      'histogram-without-inf',
      ['latency'],
      'vllm:e2e_request_latency_seconds_bucket without le="+Inf"',
    ],
  ])(
    'when %s then the checks that read it and the composite answer 502 unexpected_data',
    async (fault, hash, targeted, family) => {
      const observed = await Promise.all([
        ...ASKED.filter((c) => targeted.includes(c.name)).map((c) =>
          ask(fx.direct.url, c.name, c.path(hash, 'stable')),
        ),
        ask(fx.direct.url, 'composite', '/api/v1/analysis', compositeBody(hash, 'stable')),
      ]);
      const row = record({ fault, injected: `real Prometheus scrapes a pod page with ${family}`, observed });
      expectNoPass(row);
      for (const o of observed)
        expect([o.check, o.status, o.code], o.reason).toEqual([o.check, 502, 'unexpected_data']);
    },
  );

  it('when Prometheus is paused (hangs) then every check answers 504 backend_timeout and /readyz 503', async () => {
    await fx.prometheus.pause();
    let observed: Observed[];
    let ready: Observed;
    try {
      [observed, ready] = await Promise.all([
        askAll(fx.direct.url, 'canary', 'stable'),
        ask(fx.direct.url, '/readyz', '/readyz'),
      ]);
    } finally {
      await fx.prometheus.unpause();
    }
    const row = record({
      fault: 'Prometheus paused (hangs)',
      injected: 'docker pause of the Prometheus container',
      observed: [...observed, ready],
    });
    expectNoPass(row);
    for (const o of observed)
      expect([o.check, o.status, o.code], o.reason).toEqual([o.check, 504, 'backend_timeout']);
    expect(ready.status).toBe(503);
  }, 30_000);

  it('when the provider process is killed between two measurements then the answers during the outage are transport errors and those after the restart equal those before', async () => {
    const serve = await providerProcess({
      config: { source: { type: 'prometheus', prometheus: { url: fx.prometheus.url } }, logLevel: 'warn' },
    });
    try {
      await serve.start();
      const before = await askAll(serve.url, 'canary', 'stable');
      expect(await serve.kill('SIGKILL')).toBeNull();
      const during = await askAll(serve.url, 'canary', 'stable');
      await serve.start();
      const after = await askAll(serve.url, 'canary', 'stable');
      record({
        fault: 'provider killed (SIGKILL) mid-analysis: during the outage',
        injected: '`vllm-canary serve` killed between two measurements',
        observed: during,
      });
      const row = record({
        fault: 'provider killed mid-analysis: after the restart',
        injected: 'the same command started again on the same port',
        observed: after,
        intact: true,
        note: 'the provider keeps no state between measurements',
      });
      for (const o of during) expect(o.status, o.reason).toBe(0);
      expectNoPass(row);
      for (const [i, o] of after.entries()) {
        expect([o.check, o.status, o.verdict]).toEqual([
          before[i]!.check,
          before[i]!.status,
          before[i]!.verdict,
        ]);
        if (typeof o.value === 'number') expect(o.value).toBeCloseTo(before[i]!.value as number, 2);
      }
    } finally {
      await serve.kill('SIGKILL');
    }
  }, 60_000);

  it('when Prometheus is stopped then every check answers 502 backend_unreachable and /readyz 503', async () => {
    await fx.prometheus.stop();
    const observed = await askAll(fx.direct.url, 'canary', 'stable');
    const ready = await ask(fx.direct.url, '/readyz', '/readyz');
    const row = record({
      fault: 'Prometheus stopped',
      injected: 'container stopped and removed',
      observed: [...observed, ready],
    });
    expectNoPass(row);
    for (const o of observed)
      expect([o.check, o.status, o.code], o.reason).toEqual([o.check, 502, 'backend_unreachable']);
    expect(ready.status).toBe(503);
  });
});

// The embedded scrape source over pods that misbehave: one of the two canary pods is flaky (flaky-pods.ts), the other
// canary pod and both stable pods stay healthy; the provider scrapes every second.
describe('fault matrix: embedded scrape source', () => {
  const pods: Record<string, FlakyPod> = {};
  let provider: RunningProvider;

  beforeAll(async () => {
    for (const name of ['canary-0', 'canary-1', 'stable-0', 'stable-1']) pods[name] = await startFlakyPod();
    const staticTargets = Object.entries(pods).map(([name, pod]) => ({
      url: pod.url,
      labels: {
        namespace: NAMESPACE,
        rollouts_pod_template_hash: name.split('-')[0]!,
        service: `svc-${name.split('-')[0]!}`,
        pod: `vllm-${name}`,
      },
    }));
    provider = await startProvider(
      providerConfig('http://127.0.0.1:9', {
        source: { type: 'scrape', scrape: { intervalSeconds: 1, timeoutSeconds: 1, staticTargets } },
      }),
      { logger: createLogger('silent') },
    );
    await new Promise((r) => setTimeout(r, 4000));
  }, 60_000);

  afterAll(async () => {
    await provider?.close();
    for (const pod of Object.values(pods)) await pod.vanish().catch(() => undefined);
  });

  const underPodFault = async (mode: PodMode) => {
    pods['canary-0']!.set(mode);
    await new Promise((r) => setTimeout(r, 2500));
    try {
      return await askAll(provider.url, 'canary', 'stable');
    } finally {
      pods['canary-0']!.set('healthy');
      await new Promise((r) => setTimeout(r, 2500));
    }
  };

  it('when every pod is healthy then the checks answer from the scrapes (control)', async () => {
    const observed = await askAll(provider.url, 'canary', 'stable');
    record({
      fault: 'scrape: none (control)',
      injected: 'scrape source, 2 canary + 2 stable pods, every second',
      observed,
      intact: true,
    });
    for (const o of observed) expect([o.check, o.status], o.reason).toEqual([o.check, 200]);
  });

  it.each<[string, PodMode, string]>([
    ['scrape: a canary pod answers 500', '500', 'one canary pod answers 500 to the scrape'],
    ['scrape: half a metric page', 'half-page', 'one canary pod sends the first half of its page'],
  ])(
    'when %s then no check passes',
    async (fault, mode, injected) => {
      const row = record({ fault, injected, observed: await underPodFault(mode) });
      expectNoPass(row);
    },
    30_000,
  );

  it.each<[string, PodMode, string]>([
    ['scrape: counters reset (pod restarted)', 'reset', 'one canary pod starts its counters again from 0'],
    [
      'scrape: both metric generations on one page',
      'both-generations',
      'one canary pod also exposes vllm:gpu_cache_usage_perc 0.97',
    ],
  ])(
    'when %s then the answers are those of intact data',
    async (fault, mode, injected) => {
      const row = record({
        fault,
        injected,
        observed: await underPodFault(mode),
        intact: true,
        note: 'the data is still complete and correct',
      });
      for (const o of row.observed) {
        expect(o.json, o.reason).toBe(true);
        if (o.status === 200) expect(['pass', 'fail', 'inconclusive']).toContain(o.verdict);
      }
    },
    30_000,
  );

  it('when a canary pod vanishes (connection refused) then no check passes', async () => {
    await pods['canary-0']!.vanish();
    await new Promise((r) => setTimeout(r, 2500));
    const row = record({
      fault: 'scrape: a canary pod vanishes',
      injected: "the pod's server closes: connection refused",
      observed: await askAll(provider.url, 'canary', 'stable'),
    });
    expectNoPass(row);
  }, 30_000);
});

describe('fault matrix: quality sampler', () => {
  it('when the canary and stable OpenAI endpoints accept connections and never answer then the quality check is not pass', async () => {
    const hanging = createServer(() => undefined); // reads the request, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const config = providerConfig('http://127.0.0.1:9');
    const provider = await startProvider(
      {
        ...config,
        quality: {
          ...config.quality,
          canaryUrl: url,
          stableUrl: url,
          timeoutSeconds: 1,
          requestsPerMinute: 60_000,
        },
      },
      { logger: createLogger('silent') },
    );
    try {
      const path = `${checkUrl('quality', 'canary', 'stable', { sample: 4, minItems: 2, maxDecrease: 0.05 })}`;
      const observed = [
        await ask(provider.url, 'quality (sample=4)', path),
        await ask(
          provider.url,
          'quality (sample=0)',
          checkUrl('quality', 'canary', 'stable', { minItems: 2, maxDecrease: 0.05 }),
        ),
      ];
      const row = record({
        fault: 'quality: the OpenAI endpoints hang',
        injected:
          'canary and stable URLs point at a server that accepts and never answers; quality.timeoutSeconds 1',
        observed,
      });
      expectNoPass(row);
    } finally {
      await provider.close();
      hanging.closeAllConnections();
      hanging.close();
    }
  }, 30_000);
});

function writeDocs(): void {
  const header = [
    'fault',
    'injected how',
    'answers (HTTP status, verdict or error code)',
    'reason given',
    'pass?',
  ];
  const body = rows.map((row) => {
    const { answer, reason } = summarize(row.observed);
    const passes = row.observed.some((o) => o.verdict === 'pass');
    const verdict = row.intact
      ? passes
        ? 'yes: intact data, same as the control'
        : 'no'
      : passes
        ? '**YES (bug)**'
        : 'no';
    return [
      row.fault,
      row.injected,
      answer,
      row.note === undefined ? reason : `${reason} (${row.note})`,
      verdict,
    ];
  });
  writeBetweenMarkers(
    'docs/reliability.md',
    '<!-- faults:start -->',
    '<!-- faults:end -->',
    [
      `Observed by \`test/reliability/faults.test.ts\` on ${new Date().toISOString().slice(0, 10)} (Prometheus ${prometheusVersion}, provider cache off).`,
      '',
      markdownTable(header, body),
    ].join('\n'),
  );
}
