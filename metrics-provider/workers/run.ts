// `vllm-canary serve` from a loaded configuration: one process, or a primary with `server.workers` workers.
// Resolves with the process's exit code once the provider has stopped (SIGTERM, SIGINT, or the primary gone).
import cluster from 'node:cluster';
import { createProviderMetrics } from '../api/provider-metrics.js';
import type { ProviderConfig } from '../config/index.js';
import { createLogger, startProvider } from '../server.js';
import { workerMetrics } from './cluster-metrics.js';
import { workerShare } from './share.js';
import { superviseWorkers } from './supervisor.js';

export async function serveUntilStopped(config: ProviderConfig): Promise<number> {
  if (config.server.workers > 1 && cluster.isPrimary) {
    return superviseWorkers({ workers: config.server.workers, logger: createLogger(config.logLevel) });
  }
  const metrics = createProviderMetrics();
  const provider = await (
    cluster.isWorker
      ? startProvider(workerShare(config), { metrics, metricsText: workerMetrics(metrics.registry) })
      : startProvider(config, { metrics })
  ).catch((error: unknown) => {
    // A worker that failed to start must end (its channel to the primary would keep it alive), and with exit 1:
    // that is how the primary learns the provider cannot start.
    if (cluster.isWorker) {
      process.exitCode = 1;
      process.channel?.unref();
    }
    throw error;
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void provider.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // Nor may the channel keep a stopped worker alive. (A worker whose primary is killed is ended by node itself.)
  process.channel?.unref();
  return 0;
}
