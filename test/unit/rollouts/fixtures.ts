// Props the rollout tests start from: one small model on each router.
import { routing, type RolloutOptions } from '../../../rollouts/index.js';

export const BASE = {
  name: 'llama',
  namespace: 'llm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  servedModelName: 'llama-3-8b',
  image: 'vllm/vllm-openai:v0.11.0',
} as const;

export const ROUTINGS = {
  'gateway-api': (header?: boolean) =>
    routing.gatewayApi({
      gateway: { name: 'inference', namespace: 'gateway-system' },
      ...(header === true ? { headerRoute: { header: 'X-Canary', value: 'always' } } : {}),
    }),
  nginx: (header?: boolean) =>
    routing.nginx({
      host: 'llm.example.com',
      ...(header === true ? { headerRoute: { header: 'X-Canary', value: 'always' } } : {}),
    }),
  istio: (header?: boolean) =>
    routing.istio({ ...(header === true ? { headerRoute: { header: 'X-Canary', value: 'always' } } : {}) }),
} as const;

export function options(overrides: Partial<RolloutOptions> = {}): RolloutOptions {
  return { ...BASE, routing: ROUTINGS['gateway-api'](), ...overrides };
}
