/**
 * The in-memory tier of the content store: the bytes themselves in a byte-bounded LRU. An entry larger than an
 * eighth of the bound is not kept (a big layer table of contents would push out hundreds of manifests); the
 * disk tier behind still has it. Its hits are served without verification (`trusted`): what it holds was put by
 * this process, verified first.
 */
import 'server-only';
import type { ContentStore } from '@/lib/registry/cache/content-store';
import { ByteLru } from './byte-lru';

/**
 * What an entry costs beyond its bytes and key: the map entry, its record, the Uint8Array and ArrayBuffer objects
 * (about 250 B of heap, measured on Node 20) and the allocator's share of the separately allocated backing store
 * (about 200 B). Most entries are manifests and configs of a few hundred bytes to a few KiB, so counting bytes
 * alone let a 64 MiB tier of small entries hold half as much again.
 */
export const MEMORY_ENTRY_OVERHEAD_BYTES = 512;

/** The bytes an entry is counted for against the tier's bound: content, key and {@link MEMORY_ENTRY_OVERHEAD_BYTES}. */
export function memoryEntryCost(key: string, bytes: Uint8Array): number {
  return bytes.byteLength + key.length + MEMORY_ENTRY_OVERHEAD_BYTES;
}

export function memoryTier(maxBytes: number): ContentStore {
  const entries = new ByteLru<Uint8Array>(maxBytes);
  const largest = Math.floor(maxBytes / 8);
  return {
    name: 'memory',
    // Holds the very bytes that were put, verified before: the tiered store does not hash its hits again.
    trusted: true,
    get: (key) => Promise.resolve(entries.get(key)),
    put(key, bytes) {
      const cost = memoryEntryCost(key, bytes);
      if (cost <= largest) entries.set(key, bytes, cost);
      return Promise.resolve();
    },
    delete(key) {
      entries.delete(key);
      return Promise.resolve();
    },
  };
}
