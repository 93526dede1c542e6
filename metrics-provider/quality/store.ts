// QualityStore: the sampler's memory of paired results, bounded twice: the last N pairs per (dataset, canary,
// stable) and at most M such keys (the least recently written goes first).
import type { PairResult } from './types.js';

export interface StoreKey {
  readonly dataset: string;
  /** The canary's identity, e.g. "llm/6d4f8b9c7" (see trackKey). */
  readonly canary: string;
  /** The stable version's identity; absent when the analysis names none. */
  readonly stable?: string;
}

export interface QualityStoreOptions {
  /** Pairs kept per key. @default 1000 */
  readonly maxPairsPerKey?: number;
  /** Keys kept. @default 256 */
  readonly maxKeys?: number;
}

/** A track's identity in the store: namespace and pod-template-hash or Service name. */
export function trackKey(track: { readonly namespace: string; readonly value: string }): string {
  return `${track.namespace}/${track.value}`;
}

function keyString(key: StoreKey): string {
  return JSON.stringify([key.dataset, key.canary, key.stable ?? null]);
}

export class QualityStore {
  private readonly byKey = new Map<string, PairResult[]>();
  readonly maxPairsPerKey: number;
  readonly maxKeys: number;

  constructor(options: QualityStoreOptions = {}) {
    this.maxPairsPerKey = options.maxPairsPerKey ?? 1000;
    this.maxKeys = options.maxKeys ?? 256;
    for (const [name, value] of Object.entries({
      maxPairsPerKey: this.maxPairsPerKey,
      maxKeys: this.maxKeys,
    })) {
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`${name} must be an integer >= 1, got ${value}`);
    }
  }

  add(key: StoreKey, pairs: readonly PairResult[]): void {
    if (pairs.length === 0) return;
    const id = keyString(key);
    const kept = this.byKey.get(id) ?? [];
    this.byKey.delete(id);
    kept.push(...pairs);
    if (kept.length > this.maxPairsPerKey) kept.splice(0, kept.length - this.maxPairsPerKey);
    this.byKey.set(id, kept);
    while (this.byKey.size > this.maxKeys) {
      const oldest = this.byKey.keys().next().value as string;
      this.byKey.delete(oldest);
    }
  }

  /** The kept pairs of a key, oldest first; only those finished at or after `since` (epoch ms) when given. */
  results(key: StoreKey, since?: number): PairResult[] {
    const kept = this.byKey.get(keyString(key)) ?? [];
    return since === undefined ? [...kept] : kept.filter((pair) => pair.at >= since);
  }

  get keyCount(): number {
    return this.byKey.size;
  }

  clear(): void {
    this.byKey.clear();
  }
}
