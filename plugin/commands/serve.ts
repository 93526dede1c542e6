// `vllm-canary serve`: runs the web metric provider that Argo Rollouts' web provider calls.
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  loadConfig,
  overridesFromEnv,
  serveUntilStopped,
  type ConfigOverrides,
} from '../../metrics-provider/index.js';
import type { RegisterCommand } from './index.js';

interface ServeFlags {
  readonly config?: string;
  readonly prometheusUrl?: string;
  readonly host?: string;
  readonly port?: number;
  readonly logLevel?: string;
  readonly tokenFile?: string;
  readonly deadline?: number;
  readonly workers?: number;
}

export const registerServe: RegisterCommand = (program: Command) => {
  program
    .command('serve')
    .description('Run the web metric provider (the HTTP API that AnalysisTemplates call)')
    .option('-c, --config <file>', 'YAML configuration file (env VLLM_CANARY_CONFIG)')
    .option(
      '--prometheus-url <url>',
      'Prometheus (or Mimir/Thanos query) base URL (env VLLM_CANARY_PROMETHEUS_URL)',
      url,
    )
    .option('--host <host>', 'address to listen on (env VLLM_CANARY_HOST, default 0.0.0.0)')
    .option('-p, --port <port>', 'port to listen on (env VLLM_CANARY_PORT, default 8080)', port)
    .addOption(
      new Option('--log-level <level>', 'log level (env VLLM_CANARY_LOG_LEVEL)').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .option(
      '--token-file <file>',
      'require this bearer token on the API (env VLLM_CANARY_API_TOKEN_FILE or VLLM_CANARY_API_TOKEN)',
    )
    .option('--deadline <seconds>', 'answer deadline, below Argo timeoutSeconds (default 8)', seconds)
    .option(
      '--workers <count>',
      'processes answering on the port, to use more cores (env VLLM_CANARY_WORKERS, default 1)',
      workers,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ vllm-canary serve --prometheus-url http://prometheus.monitoring:9090
  $ vllm-canary serve --config provider.yaml --port 8080
  $ VLLM_CANARY_PROMETHEUS_URL=http://localhost:9090 vllm-canary serve
  $ vllm-canary serve --config provider.yaml --workers 2

Flags override environment variables, which override the file.`,
    )
    .action(async (flags: ServeFlags) => {
      const file = flags.config ?? (process.env.VLLM_CANARY_CONFIG || undefined);
      const fromFlags: ConfigOverrides = {
        prometheusUrl: flags.prometheusUrl,
        host: flags.host,
        port: flags.port,
        logLevel: flags.logLevel,
        tokenFile: flags.tokenFile,
        deadlineSeconds: flags.deadline,
        workers: flags.workers,
      };
      const config = loadConfig(file, overridesFromEnv(process.env), withoutUndefined(fromFlags));
      const code = await serveUntilStopped(config);
      if (code !== 0) process.exitCode = code;
    });
};

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function url(value: string): string {
  if (!/^https?:\/\/[^\s]+$/.test(value))
    throw new InvalidArgumentError('must be an http:// or https:// URL');
  return value;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a whole number from 0 to 65535');
  return n;
}

function workers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('must be a whole number from 1 to 64');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 60)
    throw new InvalidArgumentError('must be a number of seconds above 0, at most 60');
  return n;
}
