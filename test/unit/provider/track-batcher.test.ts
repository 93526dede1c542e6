import { describe, expect, it } from 'vitest';
import type { TrackSelector } from '../../../metrics-provider/sources/metric-source.js';
import type { VectorSample } from '../../../metrics-provider/sources/prometheus/client.js';
import { DEFAULT_TRACK_LABELS, queryParts } from '../../../metrics-provider/sources/prometheus/promql.js';
import { TrackBatcher } from '../../../metrics-provider/sources/prometheus/track-batcher.js';

const track = (value: string): TrackSelector => ({
  namespace: 'llm',
  model: 'm',
  by: 'pod-template-hash',
  value,
});
const gauge = (value: string, metric = 'vllm:num_requests_waiting') =>
  queryParts(
    { kind: 'gauge', aggregate: 'max', metric, track: track(value), windowSeconds: 60, hasModelLabel: true },
    DEFAULT_TRACK_LABELS,
  );
const sample = (hash: string, value: number): VectorSample => ({
  labels: { rollouts_pod_template_hash: hash },
  value,
});

/** A backend that answers each query with one sample per track named in it, valued by the track's letter count. */
function recordingBackend() {
  const sent: string[] = [];
  const run = (promql: string) => {
    sent.push(promql);
    const hashes = [...promql.matchAll(/rollouts_pod_template_hash="([^"]*)"/g)].map((m) => m[1]!);
    return Promise.resolve(hashes.map((h) => sample(h, h.length)));
  };
  return { sent, batcher: new TrackBatcher(run) };
}

describe('TrackBatcher', () => {
  it('when canary and stable ask at once then one query is sent and each gets its own series', async () => {
    const { sent, batcher } = recordingBackend();
    const [canary, stable] = await Promise.all([
      batcher.ask(gauge('canary')),
      batcher.ask(gauge('stable-hash')),
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^max by \(rollouts_pod_template_hash\) \(.* or .*\)$/);
    expect(canary.vector).toEqual([sample('canary', 6)]);
    expect(stable.vector).toEqual([sample('stable-hash', 11)]);
    expect(canary.promql).toBe(stable.promql);
  });

  it('when the same two tracks ask in either order then the query text is the same (one cache key)', async () => {
    const { sent, batcher } = recordingBackend();
    await Promise.all([batcher.ask(gauge('a')), batcher.ask(gauge('b'))]);
    await Promise.all([batcher.ask(gauge('b')), batcher.ask(gauge('a'))]);
    expect(sent[0]).toBe(sent[1]);
  });

  it('when the tracks reach the batcher after different numbers of awaits then they still share one query', async () => {
    const { sent, batcher } = recordingBackend();
    const later = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return batcher.ask(gauge('b'));
    };
    const [a, b] = await Promise.all([batcher.ask(gauge('a')), later()]);
    expect(sent).toHaveLength(1);
    expect([a.vector[0]?.value, b.vector[0]?.value]).toEqual([1, 1]);
  });

  it('when one asks after the other was answered then each is sent on its own', async () => {
    const { sent, batcher } = recordingBackend();
    await batcher.ask(gauge('a'));
    await batcher.ask(gauge('b'));
    expect(sent).toHaveLength(2);
    expect(sent.every((q) => !q.includes(' or '))).toBe(true);
  });

  it('when four tracks and a repeated question ask at once then queries hold at most two tracks and one question per track', async () => {
    const { sent, batcher } = recordingBackend();
    const answers = await Promise.all([
      batcher.ask(gauge('a')),
      batcher.ask(gauge('a')),
      batcher.ask(gauge('a', 'vllm:num_requests_running')),
      batcher.ask(gauge('b')),
      batcher.ask(gauge('c')),
      batcher.ask(gauge('d')),
    ]);
    expect(sent).toHaveLength(3);
    for (const q of sent) expect(q.split(' or ').length).toBeLessThanOrEqual(2);
    expect(answers.map((a) => a.vector[0]?.labels.rollouts_pod_template_hash)).toEqual([
      'a',
      'a',
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(answers[0]!.promql).toBe(answers[1]!.promql);
  });

  it('when questions differ in shape or abort signal then they are not merged', async () => {
    const { sent, batcher } = recordingBackend();
    const counter = queryParts(
      {
        kind: 'counter',
        metric: 'http_requests_total',
        track: track('b'),
        windowSeconds: 60,
        hasModelLabel: false,
      },
      DEFAULT_TRACK_LABELS,
    );
    await Promise.all([batcher.ask(gauge('a')), batcher.ask(counter)]);
    await Promise.all([
      batcher.ask(gauge('a'), new AbortController().signal),
      batcher.ask(gauge('b'), new AbortController().signal),
    ]);
    expect(sent).toHaveLength(4);
  });

  it('when the query fails then every track that asked in it gets the error', async () => {
    const batcher = new TrackBatcher(() => Promise.reject(new Error('Prometheus answered 503')));
    const results = await Promise.allSettled([batcher.ask(gauge('a')), batcher.ask(gauge('b'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('Prometheus answered 503'));
  });

  it('when the answer holds no series for a track then that track gets an empty vector, not the other track', async () => {
    const batcher = new TrackBatcher(() => Promise.resolve([sample('a', 1)]));
    const [a, b] = await Promise.all([batcher.ask(gauge('a')), batcher.ask(gauge('b'))]);
    expect(a.vector).toHaveLength(1);
    expect(b.vector).toEqual([]);
  });
});
