// What one of several workers takes of the limits the configuration sets for the whole provider, so that
// `server.rateLimit` and the quality budget mean the same with one worker or eight.
import type { ProviderConfig } from '../config/index.js';

export function workerShare(config: ProviderConfig): ProviderConfig {
  const n = config.server.workers;
  if (n === 1) return config;
  const { rateLimit } = config.server;
  return {
    ...config,
    server: {
      ...config.server,
      rateLimit: {
        requestsPerSecond: rateLimit.requestsPerSecond / n,
        burst: Math.max(1, Math.ceil(rateLimit.burst / n)),
      },
    },
    quality: {
      ...config.quality,
      requestsPerMinute: config.quality.requestsPerMinute / n,
      // A worker needs one slot to sample at all; with more workers than slots the total can exceed the setting.
      concurrency: Math.max(1, Math.round(config.quality.concurrency / n)),
    },
  };
}
