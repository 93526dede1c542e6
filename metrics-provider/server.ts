// Starts the provider: configuration -> logger, metrics, source, checks -> HTTP server; and stops it gracefully
// (stop accepting, finish answers in flight, close the source).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import { createApp } from './api/app.js';
import { createProviderMetrics, type ProviderMetrics } from './api/provider-metrics.js';
import { qualityCheck, type QualityObserver } from './checks/quality.js';
import { CheckRegistry } from './checks/registry.js';
import type { ProviderConfig } from './config/index.js';
import { createQualityFromConfig } from './quality-factory.js';
import { createMetricSource, readSecret } from './sources/factory.js';
import type { MetricSource } from './sources/metric-source.js';

export interface ProviderOptions {
  readonly logger?: Logger;
  readonly metrics?: ProviderMetrics;
  /** Use this source instead of building the configured one (the demo hands in its scrape source). */
  readonly source?: MetricSource;
  /** Use this quality observer instead of the sampler built from config.quality. */
  readonly quality?: QualityObserver;
  /** The API token itself, instead of config.auth.tokenFile or VLLM_CANARY_API_TOKEN. */
  readonly apiToken?: string;
  readonly onQuery?: (promql: string) => void;
  /** The /metrics text, when it is more than this process's registry (a worker answers for all workers). */
  readonly metricsText?: () => Promise<string>;
}

export interface RunningProvider {
  readonly url: string;
  readonly port: number;
  readonly metrics: ProviderMetrics;
  readonly source: MetricSource;
  close(): Promise<void>;
}

/** Pino redaction paths: nothing that could hold a credential is ever written to the log. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  '*.authorization',
  '*.password',
  '*.token',
];

export function createLogger(level: ProviderConfig['logLevel'], destination?: DestinationStream): Logger {
  return pino(
    { name: 'vllm-canary', level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } },
    destination,
  );
}

export async function startProvider(
  config: ProviderConfig,
  options: ProviderOptions = {},
): Promise<RunningProvider> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = options.metrics ?? createProviderMetrics();
  const source = options.source ?? createMetricSource(config, { metrics, logger, onQuery: options.onQuery });
  // The sampler this provider owns (and closes), unless the caller hands in its own observer.
  const ownQuality =
    options.quality === undefined
      ? await createQualityFromConfig(config, metrics.registry, source, logger)
      : undefined;
  const quality: QualityObserver = options.quality ?? ownQuality!;
  const apiToken =
    options.apiToken ??
    (config.auth.tokenFile !== undefined
      ? readSecret(config.auth.tokenFile)
      : process.env.VLLM_CANARY_API_TOKEN || undefined);
  const app = createApp({
    source,
    checks: new CheckRegistry(qualityCheck(quality) as never),
    metrics,
    metricsText: options.metricsText ?? (() => metrics.registry.metrics()),
    logger,
    deadlineMs: config.server.deadlineSeconds * 1000,
    bodyLimitBytes: config.server.bodyLimitBytes,
    rateLimit: config.server.rateLimit,
    apiToken,
  });

  const server: Server = await new Promise((resolve, reject) => {
    // Express 5 hands a listen error (EADDRINUSE, EACCES) to this callback rather than only emitting it.
    const s = app.listen(config.server.port, config.server.host, (error?: Error) =>
      error === undefined ? resolve(s) : reject(error),
    );
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, source: source.name, auth: apiToken !== undefined }, 'provider listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    metrics,
    source,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await ownQuality?.close();
        await source.close();
        logger.info('provider stopped');
      })();
      return closing;
    },
  };
}
