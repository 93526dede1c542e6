// One /metrics for a provider of several workers. Prometheus scrapes one port and reaches whichever worker the
// primary hands the connection to; that worker asks the primary, which collects every worker's metrics over IPC
// and sums them with prom-client's aggregator (each default metric carries how it aggregates). A collection that
// misses a worker fails as a whole: a partial sum would look to Prometheus like a counter reset.
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const ASK = 'vllm-canary:ask-metrics';
const ANSWER = 'vllm-canary:metrics';
const COLLECT = 'vllm-canary:collect-metrics';
const COLLECTED = 'vllm-canary:collected-metrics';

/** How long a collection round waits for every worker. */
export const COLLECT_TIMEOUT_MS = 3000;

interface Message {
  readonly type: string;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
  readonly metrics?: object;
}

function isMessage(value: unknown): value is Message {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Message).type === 'string' &&
    typeof (value as Message).id === 'number'
  );
}

/**
 * In a worker: answers the primary's collection rounds with this worker's own metrics, and returns the function
 * that gives the whole provider's /metrics text.
 */
export function workerMetrics(registry: Registry): () => Promise<string> {
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === COLLECT) {
      // A collector that throws must not end the worker: the round then times out and /metrics says so.
      registry.getMetricsAsJSON().then(
        (metrics) => process.send?.({ type: COLLECTED, id: message.id, metrics }),
        () => undefined,
      );
    } else if (message.type === ANSWER) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.text !== undefined) waiter?.resolve(message.text);
      else waiter?.reject(new Error(message.error ?? 'no metrics'));
    }
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the primary process did not answer with the metrics of all workers'));
      }, COLLECT_TIMEOUT_MS + 1000);
      pending.set(id, {
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      process.send?.({ type: ASK, id });
    });
}

/** In the primary: runs a collection round for each worker that asks, and answers it with the sum. */
export function serveClusterMetrics(): void {
  const rounds = new Map<number, { readonly parts: object[]; readonly expected: number; finish(): void }>();
  let next = 0;
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === COLLECTED) {
      const round = rounds.get(message.id);
      if (round === undefined || message.metrics === undefined) return;
      round.parts.push(message.metrics);
      if (round.parts.length === round.expected) round.finish();
      return;
    }
    if (message.type !== ASK) return;
    const asker = worker;
    const askId = message.id;
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w !== undefined && w.isConnected(),
    );
    const id = next++;
    const parts: object[] = [];
    const reply = (answer: { text: string } | { error: string }) => {
      rounds.delete(id);
      clearTimeout(timer);
      if (asker.isConnected()) asker.send({ type: ANSWER, id: askId, ...answer });
    };
    const timer = setTimeout(
      () => reply({ error: `${workers.length - parts.length} of ${workers.length} workers did not answer` }),
      COLLECT_TIMEOUT_MS,
    );
    rounds.set(id, {
      parts,
      expected: workers.length,
      finish: () => {
        AggregatorRegistry.aggregate(parts)
          .metrics()
          .then(
            (text) => reply({ text }),
            (error: unknown) => reply({ error: String(error) }),
          );
      },
    });
    for (const w of workers) w.send({ type: COLLECT, id });
  });
}
