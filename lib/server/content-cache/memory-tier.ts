/**
 * The in-memory tier of the content store: the bytes themselves in a byte-bounded LRU. An entry larger than an
 * eighth of the bound is not kept (a big layer table of contents would push out hundreds of manifests); the
 * disk tier behind still has it.
 */
import 'server-only';
import type { ContentStore } from '@/lib/registry/cache/content-store';
import { ByteLru } from './byte-lru';

export function memoryTier(maxBytes: number): ContentStore {
  const entries = new ByteLru<Uint8Array>(maxBytes);
  const largest = Math.floor(maxBytes / 8);
  return {
    name: 'memory',
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
