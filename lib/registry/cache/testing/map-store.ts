/** Test helper: a ContentStore over an in-memory Map (exposed as `data`, so tests can look at what was stored). */
import type { ContentStore } from '../content-store';

export function mapStore(): ContentStore & { data: Map<string, Uint8Array> } {
  const data = new Map<string, Uint8Array>();
  return {
    name: 'map',
    data,
    get: async (key) => data.get(key),
    put: async (key, bytes) => void data.set(key, bytes),
    delete: async (key) => void data.delete(key),
  };
}
