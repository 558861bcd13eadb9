import { describe, expect, it, vi } from 'vitest';
import { tieredStore, type ContentStore, type TierEvent } from './content-store';

function mapStore(name: string, entries: Record<string, string> = {}): ContentStore & { data: Map<string, Uint8Array> } {
  const data = new Map<string, Uint8Array>(Object.entries(entries).map(([key, text]) => [key, new TextEncoder().encode(text)]));
  return {
    name,
    data,
    get: async (key) => data.get(key),
    put: async (key, bytes) => void data.set(key, bytes),
    delete: async (key) => void data.delete(key),
  };
}

const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);
const verify = (_key: string, bytes: Uint8Array) => text(bytes) !== 'bad';

describe('tieredStore', () => {
  it('reads the first tier that has the key and copies it into the faster tiers', async () => {
    const fast = mapStore('memory');
    const slow = mapStore('disk', { k: 'value' });
    const events: TierEvent[] = [];
    const store = tieredStore([fast, slow], { verify, onEvent: (event) => events.push(event) });
    expect(text(await store.get('k'))).toBe('value');
    expect(text(fast.data.get('k'))).toBe('value');
    expect(events.map((event) => `${event.tier}:${event.outcome}`)).toEqual(['memory:miss', 'disk:hit']);
  });

  it('drops a corrupt entry and treats a failing tier as a miss', async () => {
    const corrupt = mapStore('memory', { k: 'bad' });
    const failing: ContentStore = {
      name: 'redis',
      get: async () => Promise.reject(new Error('down')),
      put: async () => Promise.reject(new Error('down')),
      delete: async () => Promise.reject(new Error('down')),
    };
    const good = mapStore('disk', { k: 'value' });
    const events: TierEvent[] = [];
    const store = tieredStore([corrupt, failing, good], { verify, onEvent: (event) => events.push(event) });
    expect(text(await store.get('k'))).toBe('value');
    expect(text(corrupt.data.get('k'))).toBe('value');
    expect(events.map((event) => `${event.tier}:${event.outcome}`)).toEqual([
      'memory:corrupt',
      'redis:error',
      'disk:hit',
      'redis:error',
    ]);
    await store.put('other', new TextEncoder().encode('x'));
    expect(text(good.data.get('other'))).toBe('x');
    expect(await store.get('absent')).toBeUndefined();
  });

  it('verifies what a disk or Redis tier gives back, not what a trusted (memory) tier gives back', async () => {
    const memory = { ...mapStore('memory'), trusted: true };
    const disk = mapStore('disk', { k: 'value' });
    const spy = vi.fn(verify);
    const store = tieredStore([memory, disk], { verify: spy });
    expect(text(await store.get('k'))).toBe('value');
    expect(spy).toHaveBeenCalledTimes(1);
    expect(text(await store.get('k'))).toBe('value');
    expect(text(await store.get('k'))).toBe('value');
    expect(spy).toHaveBeenCalledTimes(1);
    await store.put('new', new TextEncoder().encode('fresh'));
    expect(text(await store.get('new'))).toBe('fresh');
    expect(spy).toHaveBeenCalledTimes(1);
    // A corrupted disk entry is still dropped (and the memory copy, once gone, is not made from it).
    memory.data.clear();
    disk.data.set('k', new TextEncoder().encode('bad'));
    expect(await store.get('k')).toBeUndefined();
    expect(disk.data.has('k')).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
