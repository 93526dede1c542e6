// A map that starts over when full: the bound for caches whose entries are cheap to make again (strings seen on
// pages, series texts already parsed), where keeping what is still in use matters less than never growing.
export class ClearingMap<V> {
  private readonly entries = new Map<string, V>();

  /** `what` names the bound in the error, e.g. "Interner maxStrings". */
  constructor(
    what: string,
    private readonly maxEntries: number,
  ) {
    if (!(Number.isInteger(maxEntries) && maxEntries > 0)) {
      throw new Error(`${what} must be a positive integer, got ${maxEntries}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
  }
}
