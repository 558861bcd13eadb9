/**
 * A least-recently-used map: `get` refreshes an entry, `set` evicts the least recently used beyond the bound.
 * The bound counts entries, or with `weigh` their total weight (bytes, table-of-contents entries…). It bounds size
 * only: users whose entries can go stale (presence records, image filesystems) check age or validity themselves.
 * Pure (no Node or server import), so every layer from `lib/registry` up may use it.
 */

export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  /** Each entry's weight as it was set (only with `weigh`: otherwise every entry weighs 1). */
  private readonly weights: Map<K, number> | undefined;
  private total = 0;

  /**
   * @param max the bound: how many entries, or with `weigh` their total weight.
   * @param weigh an entry's weight, taken when it is set.
   */
  constructor(
    readonly max: number,
    private readonly weigh?: (value: V) => number,
  ) {
    this.weights = weigh ? new Map() : undefined;
  }

  /** The value under `key`, now the most recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** The value under `key` without changing the order. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /**
   * Keeps `value` as the most recently used entry, then evicts the least recently used ones while the bound is
   * exceeded — never `key` itself (an entry heavier than the whole bound is kept, alone). Returns the keys evicted.
   */
  set(key: K, value: V): K[] {
    this.delete(key);
    const weight = this.weigh ? this.weigh(value) : 1;
    this.map.set(key, value);
    this.weights?.set(key, weight);
    this.total += weight;
    const evicted: K[] = [];
    if (this.total <= this.max) return evicted;
    for (const oldest of this.map.keys()) {
      if (this.total <= this.max || oldest === key) break;
      this.delete(oldest);
      evicted.push(oldest);
    }
    return evicted;
  }

  /** Forgets `key`; false when it was not there. */
  delete(key: K): boolean {
    if (!this.map.has(key)) return false;
    this.map.delete(key);
    this.total -= this.weights ? this.weights.get(key)! : 1;
    this.weights?.delete(key);
    return true;
  }

  /** The keys, least recently used first: a copy, so entries may be deleted while going through it. */
  keys(): K[] {
    return [...this.map.keys()];
  }

  get size(): number {
    return this.map.size;
  }

  /** The total weight of the entries kept (their number without `weigh`). */
  get weight(): number {
    return this.total;
  }

  clear(): void {
    this.map.clear();
    this.weights?.clear();
    this.total = 0;
  }
}
