// `npm run bench:provider`: the provider under load, beside the same PromQL sent straight to Prometheus.
// Real Prometheus with an hour of vLLM history (10 canary + 10 stable pods), `vllm-canary serve` as separate
// processes running the compiled code the image ships (cache on and cache off; one and two workers), N analyses
// asking 5 checks every interval, an autocannon run for throughput, a soak at the highest N, and the embedded scrape
// source on 50/200/500 pods.
// Flags: --quick (about a minute), --soak-minutes <m> (default 10), --no-docs.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, startProvider } from '../../../metrics-provider/index.js';
import { resolveScrapeOptions } from '../../../metrics-provider/sources/scrape/create-scrape-source.js';
import { startPrometheus } from '../../harness/index.js';
import { providerConfig } from '../../reliability/fixture.js';
import { providerProcess, type ProviderProcess } from '../../reliability/provider-process.js';
import { ANALYSIS_CHECKS, checkUrl, vllmHistory } from '../../reliability/vllm-history.js';
import {
  closeAgent,
  delta,
  directQueries,
  merge,
  openLoop,
  providerCheck,
  providerMetrics,
  summary,
  type OpenLoopResult,
} from './load.js';
import { startPodPages } from './pod-pages.js';
import { writeReport, type Report } from './report.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const soakIndex = args.indexOf('--soak-minutes');
const soakMinutes = soakIndex >= 0 ? Number(args[soakIndex + 1]) : quick ? 0.5 : 10;
const writeDocs = !args.includes('--no-docs');
const ANALYSES = [10, 100, 1000];
const INTERVAL_MS = 10_000;
const PHASE_MS = quick ? 10_000 : 40_000;
const THROUGHPUT_S = quick ? 5 : 20;
const SCRAPE_S = quick ? 20 : 90;

const log = (line: string) =>
  process.stdout.write(`[bench:provider ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
let report_loadAverages: [string, number][] = [];
const checkPaths = ANALYSIS_CHECKS.map(([check, params]) => checkUrl(check, 'canary', 'stable', params));

async function main(): Promise<void> {
  const report: Report = {
    machine: `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB memory, Node ${process.version}`,
    mode: quick ? 'quick' : 'full',
    intervalSeconds: INTERVAL_MS / 1000,
    phaseSeconds: PHASE_MS / 1000,
    loadAverages: [],
    latency: [],
    throughput: [],
    soak: undefined,
    scrape: undefined,
  };
  log(`machine: ${report.machine}; mode ${report.mode}, soak ${soakMinutes} min`);
  log('compiling the provider (npm run build): the benchmark measures the code the image runs');
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  log('starting Prometheus with an hour of history for 10 canary + 10 stable pods');
  const prometheus = await startPrometheus({
    backfill: vllmHistory({
      tracks: [
        { hash: 'canary', pods: 10 },
        { hash: 'stable', pods: 10 },
      ],
      durationSeconds: 3600,
    }),
  });
  const logDir = mkdtempSync(join(tmpdir(), 'vllm-canary-bench-'));
  const processes: ProviderProcess[] = [];
  try {
    const rounds = await queryRounds(prometheus.url);
    log(`PromQL per analysis (5 checks): ${rounds.flat(2).length} queries`);
    const serve = async (cacheTtlSeconds: number, workers = 1) => {
      const p = await providerProcess({
        config: {
          source: { type: 'prometheus', prometheus: { url: prometheus.url, cacheTtlSeconds } },
          server: { rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 }, workers },
          logLevel: 'info',
        },
        log: { file: join(logDir, `provider-cache-${cacheTtlSeconds}-workers-${workers}.log`) },
        code: 'compiled',
      });
      processes.push(p);
      await p.start();
      return p;
    };
    const cached = await serve(5);
    const uncached = await serve(0);

    // Warm-up: JIT, connection pools and Prometheus' caches, so the first row does not pay for them.
    for (const target of [cached, uncached]) await warmUp(target);
    await openLoop({
      analyses: 10,
      intervalMs: 1000,
      durationMs: 3000,
      operations: rounds.map((r) => directQueries(prometheus.url, r)),
    });

    for (const analyses of ANALYSES) {
      // Each of the three is measured in two slices, interleaved, so a change in what else runs on the machine
      // weighs on all three alike.
      const slices = {
        direct: [] as OpenLoopResult[],
        off: [] as OpenLoopResult[],
        on: [] as OpenLoopResult[],
      };
      const counters = {
        off: { answered: 0, queries: 0, cpuSeconds: 0 },
        on: { answered: 0, queries: 0, cpuSeconds: 0 },
      };
      const slice = async (
        operations: (() => Promise<boolean>)[],
        target?: ProviderProcess,
        key?: 'off' | 'on',
      ) => {
        const before = target === undefined ? undefined : await providerMetrics(target.url);
        const result = await openLoop({
          analyses,
          intervalMs: INTERVAL_MS,
          durationMs: PHASE_MS / 2,
          operations,
        });
        if (target !== undefined && key !== undefined && before !== undefined) {
          const after = await providerMetrics(target.url);
          counters[key].answered += delta(after, before, 'vllm_canary_http_requests_total');
          counters[key].queries += delta(after, before, 'vllm_canary_backend_queries_total');
          counters[key].cpuSeconds += delta(after, before, 'vllm_canary_process_cpu_seconds_total');
        }
        return result;
      };
      for (let cycle = 0; cycle < 2; cycle++) {
        slices.direct.push(await slice(rounds.map((r) => directQueries(prometheus.url, r))));
        slices.off.push(
          await slice(
            checkPaths.map((p) => providerCheck(uncached.url, p)),
            uncached,
            'off',
          ),
        );
        slices.on.push(
          await slice(
            checkPaths.map((p) => providerCheck(cached.url, p)),
            cached,
            'on',
          ),
        );
      }
      const done = (label: string, parts: OpenLoopResult[], key?: 'off' | 'on') => {
        const result = summary(merge(parts));
        const c = key === undefined ? undefined : counters[key];
        const queriesPerAnswer = c !== undefined && c.answered > 0 ? c.queries / c.answered : undefined;
        const cpuMsPerAnswer =
          c !== undefined && c.answered > 0 ? (c.cpuSeconds * 1000) / c.answered : undefined;
        log(
          `N=${analyses} ${label}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.perSecond.toFixed(0)}/s, ${result.failed} failed of ${result.n}${queriesPerAnswer === undefined ? '' : `, ${queriesPerAnswer.toFixed(2)} Prometheus queries and ${cpuMsPerAnswer!.toFixed(2)} ms of provider CPU per answer`}`,
        );
        return { ...result, queriesPerAnswer, cpuMsPerAnswer };
      };
      report.loadAverages.push([`latency N=${analyses}`, loadavg()[0]!]);
      report.latency.push({
        analyses,
        direct: done('PromQL straight to Prometheus', slices.direct),
        off: done('provider, cache off', slices.off, 'off'),
        on: done('provider, cache on', slices.on, 'on'),
      });
    }

    // Two workers (server.workers: 2) use both cores; started only now, so the latency rows ran without them.
    const twoWorkers = await serve(5, 2);
    await warmUp(twoWorkers);
    for (const [label, target] of [
      ['cache on (5 s)', cached],
      ['cache on (5 s), 2 workers', twoWorkers],
      ['cache off', uncached],
    ] as const) {
      const before = await providerMetrics(target.url);
      const result = await autocannon({
        url: target.url,
        connections: 100,
        duration: THROUGHPUT_S,
        requests: checkPaths.map((path) => ({ path })),
      });
      const after = await providerMetrics(target.url);
      const answered = delta(after, before, 'vllm_canary_http_requests_total');
      const row = {
        label: `provider, ${label}`,
        perSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx + result.errors + result.timeouts,
        queriesPerAnswer: delta(after, before, 'vllm_canary_backend_queries_total') / Math.max(1, answered),
        cpuMsPerAnswer:
          (delta(after, before, 'vllm_canary_process_cpu_seconds_total') * 1000) / Math.max(1, answered),
        cache: {
          hit: delta(after, before, 'vllm_canary_query_cache_total{hit}'),
          miss: delta(after, before, 'vllm_canary_query_cache_total{miss}'),
          coalesced: delta(after, before, 'vllm_canary_query_cache_total{coalesced}'),
        },
      };
      log(
        `throughput ${row.label}: ${row.perSecond.toFixed(0)} answers/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.queriesPerAnswer.toFixed(3)} queries and ${row.cpuMsPerAnswer.toFixed(2)} ms of provider CPU per answer, cache ${JSON.stringify(row.cache)}, ${row.non2xx} not 2xx`,
      );
      report.throughput.push(row);
      report.loadAverages.push([`throughput ${label}`, loadavg()[0]!]);
    }
    const single = rounds[0]!.flat()[0]!;
    const straight = await autocannon({
      url: `${prometheus.url}/api/v1/query`,
      connections: 100,
      duration: THROUGHPUT_S,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: single }).toString(),
    });
    report.throughput.push({
      label: 'one PromQL query straight to Prometheus',
      perSecond: straight.requests.average,
      p50: straight.latency.p50,
      p99: straight.latency.p99,
      non2xx: straight.non2xx + straight.errors,
      queriesPerAnswer: 1,
    });
    log(
      `throughput PromQL straight: ${straight.requests.average.toFixed(0)} queries/s, p50 ${straight.latency.p50} ms, p99 ${straight.latency.p99} ms`,
    );
    await uncached.kill('SIGTERM');
    await twoWorkers.kill('SIGTERM');

    report_loadAverages = report.loadAverages;
    report.soak = await soak(cached, Math.max(...ANALYSES));
    await cached.kill('SIGTERM');
    report.scrape = await scrapeBench(logDir);
  } finally {
    for (const p of processes) await p.kill('SIGKILL');
    await prometheus.stop();
    await closeAgent();
  }
  if (writeDocs) {
    writeReport(report, soakMinutes);
    log('wrote docs/benchmarks.md (between the bench:provider markers)');
  }
}

/** Answers for a few seconds first, so that the JIT and the connection pools are warm when a row is measured. */
async function warmUp(target: ProviderProcess): Promise<void> {
  await autocannon({
    url: target.url,
    connections: 10,
    duration: 3,
    requests: checkPaths.map((path) => ({ path })),
  });
}

/** The PromQL each check sends, in rounds (metric-name resolution first, where a check has it). */
async function queryRounds(prometheusUrl: string): Promise<string[][][]> {
  const seen: string[] = [];
  const provider = await startProvider(providerConfig(prometheusUrl), {
    logger: createLogger('silent'),
    onQuery: (q) => seen.push(q),
  });
  try {
    const rounds: string[][][] = [];
    for (const path of checkPaths) {
      seen.length = 0;
      const response = await fetch(`${provider.url}${path}`);
      const doc = (await response.json()) as { verdict?: string; reason?: string };
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(doc)}`);
      const isPresence = (q: string) => q.startsWith('group by (__name__');
      const presence = seen.filter(isPresence);
      const rest = seen.filter((q) => !isPresence(q));
      rounds.push(presence.length > 0 ? [presence, rest] : [rest]);
      log(
        `${path.split('?')[0]}: ${doc.verdict} (${doc.reason}); ${seen.length} queries in ${presence.length > 0 ? 2 : 1} round(s)`,
      );
    }
    return rounds;
  } finally {
    await provider.close();
  }
}

async function soak(target: ProviderProcess, analyses: number): Promise<Report['soak']> {
  const durationMs = soakMinutes * 60_000;
  log(
    `soak: N=${analyses} analyses x 5 checks every ${INTERVAL_MS / 1000} s for ${soakMinutes} min, cache on`,
  );
  const samples: { t: number; rss: number; heap: number; cpu: number }[] = [];
  const sample = async () => {
    const m = await providerMetrics(target.url);
    samples.push({
      t: performance.now(),
      rss: m.get('vllm_canary_process_resident_memory_bytes') ?? Number.NaN,
      heap: m.get('vllm_canary_nodejs_heap_size_used_bytes') ?? Number.NaN,
      cpu: m.get('vllm_canary_process_cpu_seconds_total') ?? Number.NaN,
    });
  };
  await sample();
  const every = Math.min(30_000, Math.max(2_000, durationMs / 40));
  const timer = setInterval(() => {
    void sample().then(() => {
      const s = samples.at(-1)!;
      log(
        `soak ${((s.t - samples[0]!.t) / 60_000).toFixed(1)} min: RSS ${(s.rss / 2 ** 20).toFixed(0)} MiB, heap ${(s.heap / 2 ** 20).toFixed(0)} MiB`,
      );
    });
  }, every);
  const result = summary(
    await openLoop({
      analyses,
      intervalMs: INTERVAL_MS,
      durationMs,
      operations: checkPaths.map((p) => providerCheck(target.url, p)),
    }),
  );
  clearInterval(timer);
  await sample();
  report_loadAverages.push(['soak', loadavg()[0]!]);
  // Memory after warm-up: the first fifth of the samples (past the first) against the last fifth.
  const body = samples.slice(1);
  const fifth = Math.max(1, Math.floor(body.length / 5));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const early = mean(body.slice(0, fifth).map((s) => s.rss));
  const late = mean(body.slice(-fifth).map((s) => s.rss));
  const first = samples[0]!;
  const last = samples.at(-1)!;
  return {
    analyses,
    minutes: soakMinutes,
    answers: result.n,
    offeredPerSecond: (analyses * 5) / (INTERVAL_MS / 1000),
    answeredPerSecond: result.perSecond,
    failed: result.failed,
    p50: result.p50,
    p99: result.p99,
    rssEarlyMiB: early / 2 ** 20,
    rssLateMiB: late / 2 ** 20,
    rssMaxMiB: Math.max(...samples.map((s) => s.rss)) / 2 ** 20,
    heapLateMiB: last.heap / 2 ** 20,
    cpuCores: (last.cpu - first.cpu) / ((last.t - first.t) / 1000),
  };
}

const SCRAPE_INTERVAL_S = 15;

async function scrapeBench(logDir: string): Promise<NonNullable<Report['scrape']>> {
  const rows: NonNullable<Report['scrape']> = [];
  for (const pods of [50, 200, 500]) rows.push(await scrapeRow(logDir, pods, 16));
  // The rows above measure the first two minutes, before the history fills; memory grows with it until samples
  // older than the retention are dropped. This row waits until that happens, at the default retention.
  const settle = quick ? 16 : resolveScrapeOptions({}).retentionSeconds + 30;
  rows.push(await scrapeRow(logDir, 500, settle));
  return rows;
}

async function scrapeRow(
  logDir: string,
  pods: number,
  settleSeconds: number,
): Promise<NonNullable<Report['scrape']>[number]> {
  const pages = await startPodPages(pods);
  const scrape = { intervalSeconds: SCRAPE_INTERVAL_S, staticTargets: pages.targets };
  const p = await providerProcess({
    config: { source: { type: 'scrape', scrape }, logLevel: 'warn' },
    log: { file: join(logDir, `scrape-${pods}-after-${settleSeconds}s.log`) },
    code: 'compiled',
  });
  try {
    await p.start();
    log(`scrape source, ${pods} pods: letting it scrape for ${settleSeconds} s before measuring`);
    await new Promise((r) => setTimeout(r, settleSeconds * 1000));
    const before = await providerMetrics(p.url);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SCRAPE_S * 1000));
    const after = await providerMetrics(p.url);
    const seconds = (performance.now() - t0) / 1000;
    const row = {
      pods,
      intervalSeconds: SCRAPE_INTERVAL_S,
      retentionSeconds: resolveScrapeOptions({}).retentionSeconds,
      measuredAfterSeconds: Math.round(settleSeconds + seconds),
      seriesPerPod: pages.seriesPerPod,
      cpuCores: delta(after, before, 'vllm_canary_process_cpu_seconds_total') / seconds,
      rssMiB: (after.get('vllm_canary_process_resident_memory_bytes') ?? Number.NaN) / 2 ** 20,
      scrapesPerSecond: pages.scrapes / (seconds + settleSeconds),
      samples: after.get('vllm_canary_scrape_samples') ?? Number.NaN,
      sampleBytes: after.get('vllm_canary_scrape_sample_bytes') ?? Number.NaN,
    };
    log(
      `scrape source, ${pods} pods every ${SCRAPE_INTERVAL_S} s, after ${row.measuredAfterSeconds} s: ${row.cpuCores.toFixed(3)} cores, RSS ${row.rssMiB.toFixed(0)} MiB, ${(row.sampleBytes / row.samples).toFixed(2)} bytes a sample`,
    );
    return row;
  } finally {
    await p.kill('SIGKILL');
    await pages.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
