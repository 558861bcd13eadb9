/**
 * The in-memory tier of the content store: the bytes themselves in a byte-bounded LRU. An entry larger than an
 * eighth of the bound is not kept (a big layer table of contents would push out hundreds of manifests); the
 * disk tier behind still has it. Its hits are served without verification (`trusted`): what it holds was put by
 * this process, verified first.
 */
import 'server-only';
import type { ContentStore } from '@/lib/registry/cache/content-store';
import { ByteLru } from './byte-lru';

export function memoryTier(maxBytes: number): ContentStore {
  const entries = new ByteLru<Uint8Array>(maxBytes);
  const largest = Math.floor(maxBytes / 8);
  return {
    name: 'memory',
    // Holds the very bytes that were put, verified before: the tiered store does not hash its hits again.
    trusted: true,
    get: (key) => Promise.resolve(entries.get(key)),
    put(key, bytes) {
      if (bytes.byteLength <= largest) entries.set(key, bytes, bytes.byteLength);
      return Promise.resolve();
    },
    delete(key) {
      entries.delete(key);
      return Promise.resolve();
    },
  };
}
