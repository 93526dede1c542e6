// Fault-matrix rows for parts of the provider that are being built: the embedded scrape source and the quality
// sampler. Each row says how its fault will be injected (the pods are ready in flaky-pods.ts) and what the
// provider lacks today, so the docs table states plainly what is not measured yet.
import { existsSync, readFileSync } from 'node:fs';

export interface PendingRow {
  readonly fault: string;
  readonly injected: string;
  readonly missing: string;
}

const SCRAPE_MISSING =
  'the embedded scrape source (metrics-provider/sources/scrape/) is not wired into sources/factory.ts';
const QUALITY_MISSING = 'the quality sampler (metrics-provider/quality/index.ts) is not wired into server.ts';

export const SCRAPE_FAULT_ROWS: readonly PendingRow[] = [
  {
    fault: 'scrape: a canary pod vanishes',
    injected: "flaky-pods: the pod's server closes (connection refused)",
    missing: SCRAPE_MISSING,
  },
  { fault: 'scrape: a pod answers 500', injected: 'flaky-pods: mode "500"', missing: SCRAPE_MISSING },
  {
    fault: 'scrape: half a metric page',
    injected: 'flaky-pods: mode "half-page" (page cut mid-line)',
    missing: SCRAPE_MISSING,
  },
  {
    fault: 'scrape: counters reset (pod restarted)',
    injected: 'flaky-pods: mode "reset" (counters start again from 0)',
    missing: SCRAPE_MISSING,
  },
  {
    fault: 'scrape: both metric generations on one page',
    injected: 'flaky-pods: mode "both-generations"',
    missing: SCRAPE_MISSING,
  },
];

export const QUALITY_FAULT_ROWS: readonly PendingRow[] = [
  {
    fault: 'quality: the OpenAI endpoints hang',
    injected: 'a server that accepts and never answers /v1/chat/completions',
    missing: QUALITY_MISSING,
  },
];

/** Whether the factory builds the embedded scrape source (then the scrape rows can run). */
export function scrapeSourceAvailable(): boolean {
  if (!existsSync('metrics-provider/sources/scrape/index.ts')) return false;
  return /sources\/scrape|\.\/scrape\//.test(readFileSync('metrics-provider/sources/factory.ts', 'utf8'));
}

/** Whether the provider wires a quality sampler. */
export function qualitySamplerAvailable(): boolean {
  return (
    existsSync('metrics-provider/quality/index.ts') &&
    /quality-factory|quality\/index/.test(readFileSync('metrics-provider/server.ts', 'utf8'))
  );
}
