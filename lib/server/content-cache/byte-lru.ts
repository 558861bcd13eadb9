/**
 * A least-recently-used map bounded by the bytes of its entries rather than their count (`lru.ts` counts
 * entries): the memory tier keeps the bytes themselves in it, the disk tier only what it needs to evict.
 */
import 'server-only';

interface Entry<V> {
  value: V;
  size: number;
}

export class ByteLru<V> {
  private readonly map = new Map<string, Entry<V>>();
  private total = 0;

  constructor(readonly maxBytes: number) {}

  /** The value under `key`, now the most recently used. */
  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  /** The value under `key` without changing the order. */
  peek(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  /**
   * Keeps `value` of `size` bytes as the most recently used entry and evicts the least recently used ones beyond
   * the bound. Returns the keys evicted (`key` itself when it alone is larger than the bound: it is not kept).
   */
  set(key: string, value: V, size: number): string[] {
    this.delete(key);
    if (size > this.maxBytes) return [key];
    this.map.set(key, { value, size });
    this.total += size;
    const evicted: string[] = [];
    for (const [oldest, entry] of this.map) {
      if (this.total <= this.maxBytes) break;
      this.map.delete(oldest);
      this.total -= entry.size;
      evicted.push(oldest);
    }
    return evicted;
  }

  delete(key: string): boolean {
    const entry = this.map.get(key);
    if (!entry) return false;
    this.map.delete(key);
    this.total -= entry.size;
    return true;
  }

  /** Bytes of every entry kept. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.map.size;
  }
}
