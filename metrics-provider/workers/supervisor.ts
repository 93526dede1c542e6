// The primary process of a provider with several workers (node:cluster): it forks them, shares the one port
// between them, replaces a worker that dies, and stops them all on SIGTERM after they finish the answers in
// flight. A worker that dies before it listens (bad configuration, port taken) stops the provider with exit 1, and
// so do repeated deaths: Kubernetes restarting the pod is then the better cure than forking forever.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { serveClusterMetrics } from './cluster-metrics.js';

export interface SupervisorOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** After SIGTERM, how long workers get to finish before they are killed. */
  readonly stopTimeoutMs?: number;
  /** Deaths of running workers tolerated within a minute, per worker, before the provider gives up. */
  readonly restartsPerMinute?: number;
}

/** Runs the workers until SIGTERM or SIGINT; resolves with the exit code for the process. */
export function superviseWorkers(options: SupervisorOptions): Promise<number> {
  const { logger, workers } = options;
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const restartBudget = (options.restartsPerMinute ?? 3) * workers;
  const listening = new WeakSet<Worker>();
  const restarts: number[] = [];
  let stopping: Promise<number> | undefined;

  serveClusterMetrics();
  return new Promise<number>((resolve) => {
    const stopAll = (code: number) => {
      stopping ??= new Promise<number>((done) => {
        const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
        if (running.length === 0) return done(code);
        const kill = setTimeout(() => {
          logger.warn({ stopTimeoutMs }, 'workers did not stop in time; killing them');
          for (const w of running) w.process.kill('SIGKILL');
        }, stopTimeoutMs);
        let left = running.length;
        for (const w of running) {
          w.once('exit', () => {
            if (--left === 0) {
              clearTimeout(kill);
              done(code);
            }
          });
          w.process.kill('SIGTERM');
        }
      });
      void stopping.then((exitCode) => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        logger.info({ exitCode }, 'provider stopped');
        resolve(exitCode);
      });
    };
    const onSignal = () => stopAll(0);
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);

    cluster.on('listening', (worker, address) => {
      listening.add(worker);
      if (Object.values(cluster.workers ?? {}).every((w) => w === undefined || listening.has(w))) {
        logger.info({ workers, port: address.port }, 'provider listening with all workers');
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      if (stopping !== undefined) return;
      const detail = { worker: worker.id, workerPid: worker.process.pid, code, signal };
      if (!listening.has(worker)) {
        logger.error(detail, 'a worker exited before it listened; stopping the provider');
        return stopAll(1);
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > restartBudget) {
        logger.error({ ...detail, restarts: restarts.length }, 'workers keep dying; stopping the provider');
        return stopAll(1);
      }
      logger.warn(detail, 'a worker died; starting another');
      cluster.fork();
    });
    for (let i = 0; i < workers; i++) cluster.fork();
  });
}
