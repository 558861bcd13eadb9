/**
 * A least-recently-used map bounded by the bytes of its entries rather than their count: the memory tier keeps
 * the bytes themselves in it, the disk tier only what it needs to evict. The shared `Lru` weighed by size, except
 * that an entry larger than the whole bound is not kept at all (a cache tier must not hold more than its bound).
 */
import 'server-only';
import { Lru } from '@/lib/registry/lru';

interface Entry<V> {
  value: V;
  size: number;
}

export class ByteLru<V> {
  private readonly lru: Lru<string, Entry<V>>;

  constructor(readonly maxBytes: number) {
    this.lru = new Lru(maxBytes, (entry) => entry.size);
  }

  /** The value under `key`, now the most recently used. */
  get(key: string): V | undefined {
    return this.lru.get(key)?.value;
  }

  /** The value under `key` without changing the order. */
  peek(key: string): V | undefined {
    return this.lru.peek(key)?.value;
  }

  /** The size `key` was kept with, without changing the order. */
  sizeOf(key: string): number | undefined {
    return this.lru.peek(key)?.size;
  }

  has(key: string): boolean {
    return this.lru.has(key);
  }

  /**
   * Keeps `value` of `size` bytes as the most recently used entry and evicts the least recently used ones beyond
   * the bound. Returns the keys evicted (`key` itself when it alone is larger than the bound: it is not kept).
   */
  set(key: string, value: V, size: number): string[] {
    if (size > this.maxBytes) {
      this.lru.delete(key);
      return [key];
    }
    return this.lru.set(key, { value, size });
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  /** Bytes of every entry kept. */
  get bytes(): number {
    return this.lru.weight;
  }

  get size(): number {
    return this.lru.size;
  }
}
