// Scrape targets and where they come from. A target is a URL and a label set, as in Prometheus: the labels go on
// every series scraped from it (the namespace, pod-template-hash and service labels that select a track), and
// `instance` (host:port) is added when absent so two targets never write the same series.
import type { Labels } from './label-set.js';

export interface ScrapeTarget {
  readonly url: string;
  readonly labels: Labels;
}

/** A source of targets: static configuration, or Kubernetes discovery that keeps its list current. */
export interface TargetDiscovery {
  /** For logs and health ("static", "pods app=vllm in ns"). */
  readonly description: string;
  /** Starts discovery; `onChange` receives the full current list each time it changes. Resolves once listed. */
  start(onChange: (targets: readonly ScrapeTarget[]) => void): Promise<void>;
  /** Whether the last attempt to list or watch worked, and why not. */
  health(): { readonly ok: boolean; readonly detail: string };
  stop(): Promise<void>;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Validates a configured target and fills in `instance`; throws with the offending field named. */
export function normalizeTarget(target: ScrapeTarget): ScrapeTarget {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new Error(`scrape target ${JSON.stringify(target.url)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`scrape target ${displayUrl(target.url)} must use http or https`);
  }
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(target.labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw new Error(`scrape target ${displayUrl(target.url)}: invalid label name ${JSON.stringify(name)}`);
    }
    if (typeof value !== 'string') {
      throw new Error(`scrape target ${displayUrl(target.url)}: label ${name} must be a string`);
    }
    if (value !== '') labels[name] = value; // Prometheus treats an empty label as an absent one
  }
  if (labels.instance === undefined) labels.instance = url.host;
  return { url: url.toString(), labels };
}

/** Identity of a target: the same URL with other labels is another target (as in Prometheus). */
export function targetKey(target: ScrapeTarget): string {
  const names = Object.keys(target.labels).sort();
  return JSON.stringify([target.url, ...names.map((n) => [n, target.labels[n]])]);
}

/** A URL for messages: credentials in it are never shown. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** How a target is named in answers: its pod when known, else its instance. */
export function targetName(target: ScrapeTarget): string {
  const pod = target.labels.pod;
  const instance = target.labels.instance ?? displayUrl(target.url);
  return pod === undefined ? instance : `pod ${pod} (${instance})`;
}

/** Targets given in configuration; they never change. */
export class StaticDiscovery implements TargetDiscovery {
  readonly description: string;
  private readonly targets: readonly ScrapeTarget[];

  constructor(targets: readonly ScrapeTarget[]) {
    this.targets = targets.map(normalizeTarget);
    this.description = `${targets.length} static target${targets.length === 1 ? '' : 's'}`;
  }

  start(onChange: (targets: readonly ScrapeTarget[]) => void): Promise<void> {
    onChange(this.targets);
    return Promise.resolve();
  }

  health(): { ok: boolean; detail: string } {
    return { ok: true, detail: this.description };
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
