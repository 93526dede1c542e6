// `vllm-canary status`: is the provider up, can it reach its metric source, and what has it judged so far.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RegisterCommand } from './index.js';

interface StatusFlags {
  readonly provider: string;
  readonly output: 'text' | 'json';
}

export interface ProviderStatus {
  readonly provider: string;
  readonly alive: boolean;
  readonly ready: boolean;
  readonly source?: string;
  readonly detail?: string;
  /** Verdicts given since the provider started, by check: `{latency: {pass: 3, fail: 1}}`. */
  readonly verdicts: Record<string, Record<string, number>>;
}

export const registerStatus: RegisterCommand = (program: Command) => {
  program
    .command('status')
    .description(
      'Show whether a provider is up and ready, which metric source it uses, and the verdicts it gave',
    )
    .addOption(
      new Option('--provider <url>', 'provider base URL')
        .default('http://127.0.0.1:8080')
        .env('VLLM_CANARY_PROVIDER_URL')
        .argParser(url),
    )
    .addOption(new Option('-o, --output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ vllm-canary status --provider http://127.0.0.1:8080
  $ kubectl port-forward -n argo-rollouts svc/vllm-canary 8080 & kubectl vllm-canary status

Exit code 0 when the provider is ready, 1 when it is down or cannot reach its metric source.`,
    )
    .action(async (flags: StatusFlags) => {
      const status = await providerStatus(flags.provider);
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify(status)}\n` : formatStatus(status));
      if (!status.ready) process.exitCode = 1;
    });
};

export async function providerStatus(provider: string): Promise<ProviderStatus> {
  const get = async (path: string) => {
    try {
      const response = await fetch(`${provider}${path}`, { signal: AbortSignal.timeout(5000) });
      return { status: response.status, text: await response.text() };
    } catch {
      return undefined;
    }
  };
  const [health, readiness, metrics] = await Promise.all([get('/healthz'), get('/readyz'), get('/metrics')]);
  const ready =
    readiness === undefined ? undefined : (safeJson(readiness.text) as { source?: string; detail?: string });
  return {
    provider,
    alive: health?.status === 200,
    ready: readiness?.status === 200,
    ...(ready?.source === undefined ? {} : { source: ready.source }),
    ...(ready?.detail === undefined ? {} : { detail: ready.detail }),
    verdicts: metrics?.status === 200 ? verdictCounts(metrics.text) : {},
  };
}

/** `vllm_canary_verdicts_total{check="latency",verdict="pass"} 3` lines to counts. */
export function verdictCounts(exposition: string): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const match of exposition.matchAll(
    /^vllm_canary_verdicts_total\{check="([^"]+)",verdict="([^"]+)"\} (\S+)$/gm,
  )) {
    const [, check, verdict, value] = match;
    (counts[check!] ??= {})[verdict!] = Number(value);
  }
  return counts;
}

function formatStatus(s: ProviderStatus): string {
  const lines = [
    `provider   ${s.provider}`,
    `alive      ${s.alive ? 'yes' : 'no'}`,
    `ready      ${s.ready ? 'yes' : 'no'}${s.source === undefined ? '' : ` (source ${s.source}: ${s.detail ?? ''})`}`,
  ];
  const checks = Object.entries(s.verdicts);
  if (checks.length === 0) lines.push('verdicts   none yet');
  for (const [check, byVerdict] of checks) {
    const parts = Object.entries(byVerdict).map(([verdict, n]) => `${verdict} ${n}`);
    lines.push(`${check.padEnd(10)} ${parts.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function url(value: string): string {
  if (!/^https?:\/\/[^\s]+$/.test(value))
    throw new InvalidArgumentError('must be an http:// or https:// URL');
  return value.replace(/\/+$/, '');
}
