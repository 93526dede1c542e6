// A short-lived cache with request coalescing: many analyses asking the same question within the TTL cost one
// backend query, and concurrent askers of a query still in flight share its promise. Failures are never cached.

export interface CacheEvents {
  onHit?(): void;
  onMiss?(): void;
  onCoalesced?(): void;
}

interface Entry<T> {
  readonly promise: Promise<T>;
  /** When the settled value stops being served; Infinity while in flight. */
  expiresAt: number;
}

export class CoalescingCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly events: CacheEvents = {},
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const existing = this.entries.get(key);
    if (existing !== undefined && existing.expiresAt > now) {
      if (existing.expiresAt === Number.POSITIVE_INFINITY) this.events.onCoalesced?.();
      else this.events.onHit?.();
      return existing.promise;
    }
    this.events.onMiss?.();
    const entry: Entry<T> = { promise: load(), expiresAt: Number.POSITIVE_INFINITY };
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evict();
    entry.promise.then(
      () => {
        entry.expiresAt = this.now() + this.ttlMs;
        if (this.ttlMs <= 0) this.forget(key, entry);
      },
      () => this.forget(key, entry),
    );
    return entry.promise;
  }

  get size(): number {
    return this.entries.size;
  }

  private forget(key: string, entry: Entry<T>): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  /** Drops the oldest settled entries beyond the bound (Map keeps insertion order). */
  private evict(): void {
    if (this.entries.size <= this.maxEntries) return;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      if (entry.expiresAt !== Number.POSITIVE_INFINITY) this.entries.delete(key);
    }
  }
}
