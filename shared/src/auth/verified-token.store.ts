interface Entry<T> {
  value: T;
  expiresAtMs: number;
}

/**
 * Remembers what a successful verification returned, so a token used for many
 * requests costs one signature check. Bounded, least-recently-used eviction,
 * and an entry is never served at or after its expiry.
 */
export class VerifiedTokenStore<T> {
  // A Map iterates in insertion order, so re-inserting on a hit makes the
  // first key the least recently used one: LRU without a linked list.
  private readonly entries = new Map<string, Entry<T>>();
  /** The last key in `entries`: the most recently used token. */
  private newest: string | undefined;

  constructor(private readonly maxEntries: number) {}

  get(token: string, nowMs: number): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    this.touch(token, entry);
    return entry.value;
  }

  set(token: string, value: T, expiresAtMs: number): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(token, { value, expiresAtMs });
    this.newest = token;
  }

  /**
   * Makes `token` the most recently used. A client sends the same token with
   * request after request, and it is then already last: re-inserting it would
   * only churn the Map (each delete leaves a hole that a rehash must clear).
   */
  private touch(token: string, entry: Entry<T>): void {
    if (token === this.newest) return;
    this.entries.delete(token);
    this.entries.set(token, entry);
    this.newest = token;
  }

  get size(): number {
    return this.entries.size;
  }
}
