// The Prometheus configuration the harness generates: one job, one static target group per scraped URL.
import { stringify } from 'yaml';

export interface ScrapeTarget {
  /** Full URL of the metrics endpoint, e.g. `http://127.0.0.1:8000/metrics`. */
  readonly url: string;
  /** Target labels added to every series scraped from this URL (`job` may be overridden here). */
  readonly labels?: Readonly<Record<string, string>>;
}

export const SCRAPE_JOB = 'vllm-canary-test';

/**
 * Each target gets its own static group, so its labels apply to it alone; scheme, path and query parameters of the
 * URL become the `__scheme__`, `__metrics_path__` and `__param_*` labels that Prometheus reads per target.
 */
export function scrapeConfig(targets: readonly ScrapeTarget[], scrapeInterval: string): string {
  const staticConfigs = targets.map(({ url, labels = {} }) => {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`scrape target ${url}: only http and https URLs can be scraped`);
    }
    const params: Record<string, string> = {};
    for (const [name, value] of parsed.searchParams) params[`__param_${name}`] = value;
    return {
      targets: [parsed.host],
      labels: {
        ...labels,
        ...params,
        __scheme__: parsed.protocol.slice(0, -1),
        __metrics_path__: parsed.pathname,
      },
    };
  });
  return stringify({
    global: {
      scrape_interval: scrapeInterval,
      scrape_timeout: scrapeInterval,
      evaluation_interval: scrapeInterval,
    },
    scrape_configs: [{ job_name: SCRAPE_JOB, static_configs: staticConfigs }],
  });
}
