// How many requests a track finished in the window: the sample count for checks judged on gauges (KV cache,
// queue), so an idle canary is inconclusive instead of passing on an empty cache.
import { VLLM_METRICS } from '../catalog/index.js';
import type { CounterData, SignalAnswer, TrackSelector } from '../sources/metric-source.js';
import type { CheckContext } from './types.js';

export async function requestCount(
  context: CheckContext,
  track: TrackSelector,
): Promise<{ value: number; answer: SignalAnswer<CounterData> }> {
  const answer = await context.source.counter(
    {
      kind: 'counter',
      metric: VLLM_METRICS.requestSuccess,
      track,
      windowSeconds: context.windowSeconds,
      hasModelLabel: true,
    },
    context.signal,
  );
  return { value: answer.value[''] ?? 0, answer };
}
