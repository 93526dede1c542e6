// The provider benchmark's report: tables of what was measured, each goal with its figure and whether it was met,
// written to docs/benchmarks.md between the bench:provider markers (the rest of the file is left alone).
import { resolveScrapeOptions } from '../../../metrics-provider/sources/scrape/create-scrape-source.js';
import { markdownTable, writeBetweenMarkers } from '../../reliability/markers.js';

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly failed: number;
  readonly n: number;
  readonly queriesPerAnswer?: number;
  /** Provider CPU per answer over the row (both its slices). */
  readonly cpuMsPerAnswer?: number;
}

export interface Report {
  readonly machine: string;
  readonly mode: 'quick' | 'full';
  readonly intervalSeconds: number;
  /** The machine's 1-minute load average after each phase: above the core count, other work competed. */
  readonly loadAverages: [string, number][];
  readonly phaseSeconds: number;
  readonly latency: { analyses: number; direct: Latency; off: Latency; on: Latency }[];
  readonly throughput: {
    label: string;
    perSecond: number;
    p50: number;
    p99: number;
    non2xx: number;
    queriesPerAnswer: number;
    /** Provider CPU per answer: robust to other load on the machine; 1000 / it = answers per second per core. */
    cpuMsPerAnswer?: number;
    cache?: { hit: number; miss: number; coalesced: number };
  }[];
  soak:
    | {
        analyses: number;
        minutes: number;
        answers: number;
        offeredPerSecond: number;
        answeredPerSecond: number;
        failed: number;
        p50: number;
        p99: number;
        rssEarlyMiB: number;
        rssLateMiB: number;
        rssMaxMiB: number;
        heapLateMiB: number;
        cpuCores: number;
      }
    | undefined;
  scrape:
    | {
        pods: number;
        intervalSeconds: number;
        retentionSeconds: number;
        measuredAfterSeconds: number;
        seriesPerPod: number;
        cpuCores: number;
        rssMiB: number;
        scrapesPerSecond: number;
        /** What the source reports it keeps (vllm_canary_scrape_samples, vllm_canary_scrape_sample_bytes). */
        samples: number;
        sampleBytes: number;
      }[]
    | undefined;
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-');
/** The goal is in MB (10^6 bytes); the process reports MiB. */
const megabytes = (mib: number) => (mib * 2 ** 20) / 1e6;
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

export function renderReport(report: Report, soakMinutes: number): string {
  const latencyRows = report.latency.map(({ analyses, direct, off, on }) => [
    String(analyses),
    `${((analyses * 5) / report.intervalSeconds).toFixed(0)}/s`,
    `${ms(direct.p50)} / ${ms(direct.p99)}`,
    `${ms(off.p50)} / ${ms(off.p99)}`,
    `${ratio(off.p50, direct.p50)} / ${ratio(off.p99, direct.p99)}`,
    `${ms(on.p50)} / ${ms(on.p99)}`,
    `${ratio(on.p50, direct.p50)} / ${ratio(on.p99, direct.p99)}`,
    `${off.queriesPerAnswer?.toFixed(2) ?? '-'} / ${on.queriesPerAnswer?.toFixed(2) ?? '-'}`,
    `${off.cpuMsPerAnswer?.toFixed(2) ?? '-'} / ${on.cpuMsPerAnswer?.toFixed(2) ?? '-'}`,
    String(direct.failed + off.failed + on.failed),
  ]);
  const throughputRows = report.throughput.map((t) => [
    t.label,
    t.perSecond.toFixed(0),
    `${t.p50} / ${t.p99}`,
    t.queriesPerAnswer.toFixed(3),
    t.cpuMsPerAnswer === undefined
      ? '-'
      : `${t.cpuMsPerAnswer.toFixed(2)} (${(1000 / t.cpuMsPerAnswer).toFixed(0)}/s per core)`,
    t.cache === undefined ? '-' : `${t.cache.hit} / ${t.cache.miss} / ${t.cache.coalesced}`,
    String(t.non2xx),
  ]);
  const at100 = report.latency.find((l) => l.analyses === 100);
  const oneWorker = report.throughput.find((t) => t.label === 'provider, cache on (5 s)');
  const twoWorkers = report.throughput.find((t) => t.label.includes('2 workers'));
  const soak = report.soak;
  const drift = soak === undefined ? Number.NaN : (soak.rssLateMiB - soak.rssEarlyMiB) / soak.rssEarlyMiB;
  // The goal is judged once the history is full: the last 500-pod row.
  const scrape500 = report.scrape?.filter((s) => s.pods === 500).at(-1);
  const goals = [
    [
      'provider overhead at N = 100, as deployed (5 s cache, coalescing)',
      'at most 1.1x direct at p50 and p99',
      at100 === undefined
        ? '-'
        : `${ratio(at100.on.p50, at100.direct.p50)}x / ${ratio(at100.on.p99, at100.direct.p99)}x`,
      at100 === undefined
        ? '-'
        : met(at100.on.p50 <= 1.1 * at100.direct.p50 && at100.on.p99 <= 1.1 * at100.direct.p99),
    ],
    [
      'the same with the cache turned off, for comparison (every answer asks Prometheus)',
      'at most 1.1x direct at p50 and p99',
      at100 === undefined
        ? '-'
        : `${ratio(at100.off.p50, at100.direct.p50)}x / ${ratio(at100.off.p99, at100.direct.p99)}x`,
      at100 === undefined
        ? '-'
        : met(at100.off.p50 <= 1.1 * at100.direct.p50 && at100.off.p99 <= 1.1 * at100.direct.p99),
    ],
    [
      'check answers per second, many analyses asking the same questions',
      'at least 2,000/s on 2 cores',
      twoWorkers === undefined
        ? '-'
        : `${twoWorkers.perSecond.toFixed(0)}/s with \`server.workers: 2\` (${oneWorker?.perSecond.toFixed(0) ?? '-'}/s with one worker, which uses one core)`,
      twoWorkers === undefined ? '-' : met(twoWorkers.perSecond >= 2000),
    ],
    [
      `memory over the soak (N = ${soak?.analyses ?? '-'}, ${soak?.minutes ?? soakMinutes} min)`,
      'flat within 10%',
      soak === undefined
        ? '-'
        : `${soak.rssEarlyMiB.toFixed(0)} -> ${soak.rssLateMiB.toFixed(0)} MiB (${(drift * 100).toFixed(1)}%)`,
      soak === undefined ? '-' : met(Math.abs(drift) <= 0.1),
    ],
    [
      `scrape source, 500 pods every 15 s, history full (the default retention, ${scrape500?.retentionSeconds ?? '-'} s)`,
      'under 0.2 core and 200 MB',
      scrape500 === undefined
        ? '-'
        : `${scrape500.cpuCores.toFixed(3)} cores, ${scrape500.rssMiB.toFixed(0)} MiB (${megabytes(scrape500.rssMiB).toFixed(0)} MB)`,
      scrape500 === undefined ? '-' : met(scrape500.cpuCores < 0.2 && megabytes(scrape500.rssMiB) < 200),
    ],
  ];
  return [
    `### Provider under load (\`npm run bench:provider\`${report.mode === 'quick' ? ' -- --quick' : ''})`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${report.machine}; Prometheus, the provider processes and the`,
    'load generator share these cores (and whatever else ran on the machine then), so the figures are a floor for a',
    'real deployment, where Prometheus runs elsewhere.',
    '',
    'Setup: real Prometheus backfilled with an hour of vLLM history for 10 canary and 10 stable pods; `vllm-canary serve`',
    'as separate processes running the compiled code the image ships (one with the default 5 s cache, one with',
    '`cacheTtlSeconds: 0`, and for throughput one with `server.workers: 2`), log level info to a file, rate limit raised',
    'out of the way. An analysis asks 5 checks (p95 e2e latency, p95 TTFT, error ratio, KV cache,',
    `queue) every ${report.intervalSeconds} s; N analyses are staggered over the interval (open loop, ${report.phaseSeconds} s per row).`,
    '"Direct" sends the same PromQL a check sends straight to Prometheus, in the same rounds (the KV-cache check first',
    'asks which metric name the pods expose), and parses the JSON.',
    '',
    `Load average (1 min) after each phase, on ${report.machine.split(' ')[0]} cores: ${report.loadAverages.map(([phase, l]) => `${phase} ${l.toFixed(1)}`).join(', ')}.`,
    '',
    '#### Goals',
    '',
    markdownTable(['goal', 'target', 'measured', ''], goals),
    '',
    '#### Answer latency, provider against the same PromQL sent straight to Prometheus',
    '',
    markdownTable(
      [
        'analyses (N)',
        'checks asked',
        'direct p50 / p99 ms',
        'provider, cache off p50 / p99 ms',
        'overhead (cache off)',
        'provider, cache on p50 / p99 ms',
        'ratio (cache on)',
        'Prometheus queries per answer (off / on)',
        'provider CPU ms per answer (off / on)',
        'failed',
      ],
      latencyRows,
    ),
    '',
    cacheOffNote(at100),
    '',
    '#### Throughput (autocannon, 100 connections, the 5 checks of one analysis in turn)',
    '',
    markdownTable(
      [
        'target',
        'answers/s',
        'p50 / p99 ms',
        'Prometheus queries per answer',
        'provider CPU ms per answer',
        'cache hit / miss / coalesced',
        'not 2xx',
      ],
      throughputRows,
    ),
    '',
    '#### Soak',
    '',
    soak === undefined
      ? 'not run'
      : markdownTable(
          [
            'analyses',
            'minutes',
            'answers',
            'asked / answered per s',
            'failed',
            'p50 / p99 ms',
            'RSS first fifth -> last fifth (max) MiB',
            'heap at the end MiB',
            'CPU (cores)',
          ],
          [
            [
              String(soak.analyses),
              String(soak.minutes),
              String(soak.answers),
              `${soak.offeredPerSecond.toFixed(0)} / ${soak.answeredPerSecond.toFixed(0)}`,
              String(soak.failed),
              `${ms(soak.p50)} / ${ms(soak.p99)}`,
              `${soak.rssEarlyMiB.toFixed(0)} -> ${soak.rssLateMiB.toFixed(0)} (${soak.rssMaxMiB.toFixed(0)})`,
              soak.heapLateMiB.toFixed(0),
              soak.cpuCores.toFixed(2),
            ],
          ],
        ),
    soak !== undefined &&
    (soak.p50 > report.intervalSeconds * 1000 || soak.answeredPerSecond < 0.95 * soak.offeredPerSecond)
      ? '\nThe answers fell behind the questions (p50 above the interval): the machine could not keep up with the load, so requests queued and the memory figures include that backlog; they say nothing about a leak either way.'
      : '',
    '',
    '#### Embedded scrape source',
    '',
    report.scrape === undefined
      ? 'not run'
      : [
          markdownTable(
            [
              'pods',
              'retention',
              'measured after',
              'CPU (cores)',
              'RSS MiB',
              'scrapes/s',
              'samples kept',
              'bytes a sample',
            ],
            report.scrape.map((s) => [
              String(s.pods),
              `${s.retentionSeconds} s`,
              `${s.measuredAfterSeconds} s`,
              s.cpuCores.toFixed(3),
              s.rssMiB.toFixed(0),
              s.scrapesPerSecond.toFixed(1),
              s.samples.toLocaleString('en-US'),
              (s.sampleBytes / s.samples).toFixed(2),
            ]),
          ),
          '',
          sampleMemoryNote(report.scrape),
        ].join('\n'),
    '',
    'Reproduce (Docker with a Prometheus image; `scripts/setup-test-env.sh` prepares one where images cannot be pulled):',
    '',
    '```sh',
    'npm run bench:provider                     # full run: about 30 minutes, soak 10 minutes',
    'npm run bench:provider -- --quick          # about 2 minutes, to try it',
    'npm run bench:provider -- --soak-minutes 30 --no-docs',
    '```',
  ].join('\n');
}

/** What the samples take with the history full, as the source measured them, and what a longer retention costs. */
function sampleMemoryNote(rows: NonNullable<Report['scrape']>): string {
  const row = rows.filter((r) => r.pods === 500).at(-1);
  if (row === undefined || !(row.samples > 0)) return '';
  const hour = resolveScrapeOptions({ intervalSeconds: row.intervalSeconds, retentionSeconds: 3600 });
  const perSeries = row.samples / (row.pods * row.seriesPerPod);
  return [
    `Memory grows with the history until it is full. Each emulated pod exposes ${row.seriesPerPod} series, its gauges`,
    `moving every scrape. With the history full (${perSeries.toFixed(0)} samples a series), the 500 pods' samples took`,
    `${(row.sampleBytes / 2 ** 20).toFixed(1)} MiB, ${(row.sampleBytes / row.samples).toFixed(2)} bytes a sample with the newest 16 of each series`,
    `raw; older samples are compressed to about 2 bytes. Keeping an hour (\`retentionSeconds: 3600\`, ${hour.maxSamplesPerSeries}`,
    'samples a series) adds about 45 MiB of live heap for 500 pods (docs/scrape-source.md); set the retention to the',
    'longest window the templates ask for, plus a minute.',
  ].join('\n');
}

/** What the cache-off row is made of, in the run's own figures, so a reader can tell where its overhead goes. */
function cacheOffNote(at100: Report['latency'][number] | undefined): string {
  if (at100?.off.queriesPerAnswer === undefined || at100.off.cpuMsPerAnswer === undefined) return '';
  const added = at100.off.p50 - at100.direct.p50;
  return [
    `With the cache off, each answer at N = 100 sent ${at100.off.queriesPerAnswer.toFixed(2)} queries to Prometheus (one per signal,`,
    `canary and stable in one query) and cost the provider ${at100.off.cpuMsPerAnswer.toFixed(2)} ms of CPU (receiving the check,`,
    'sending and parsing the queries, judging, logging, answering); the median answer took',
    `${ms(added)} ms longer than the same queries sent straight. That CPU runs on the cores Prometheus and the load`,
    'generator use at the same time, so here it adds to the latency almost in full. As deployed, with the default',
    '5 s cache and coalescing, most answers send no query at all, and the provider answers faster than Prometheus.',
  ].join('\n');
}

export function writeReport(report: Report, soakMinutes: number): void {
  writeBetweenMarkers(
    'docs/benchmarks.md',
    '<!-- bench:provider:start -->',
    '<!-- bench:provider:end -->',
    renderReport(report, soakMinutes),
    '# Benchmarks\n',
  );
}
