import { describe, expect, it } from 'vitest';
import { mapStore } from '@/lib/registry/cache/testing/map-store';
import { readStored, storeKey, writeStored } from './disk-store';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('layer index entries in the content store', () => {
  it('round-trips a payload under toc/<digest> and toc/<digest>/checkpoints', async () => {
    const store = mapStore();
    await writeStored(store, DIGEST, { entries: [{ path: 'etc/os-release' }] });
    await writeStored(store, DIGEST, { points: [] }, 'zran');
    expect(await readStored(store, DIGEST)).toEqual({ entries: [{ path: 'etc/os-release' }] });
    expect(await readStored(store, DIGEST, 'zran')).toEqual({ points: [] });
    expect([...store.data.keys()].sort()).toEqual([`toc/${DIGEST}`, `toc/${DIGEST}/checkpoints`]);
    expect(storeKey(DIGEST)).toBe(`toc/${DIGEST}`);
  });

  it('ignores and removes an entry whose payload was altered', async () => {
    const store = mapStore();
    await writeStored(store, DIGEST, { size: 1 });
    const text = new TextDecoder().decode(store.data.get(storeKey(DIGEST)));
    store.data.set(storeKey(DIGEST), new TextEncoder().encode(text.replace('"size":1', '"size":2')));
    expect(await readStored(store, DIGEST)).toBeUndefined();
    expect(store.data.has(storeKey(DIGEST))).toBe(false);
  });

  it('ignores an entry written for another digest', async () => {
    const store = mapStore();
    const other = `sha256:${'cd'.repeat(32)}`;
    await writeStored(store, other, { size: 1 });
    store.data.set(storeKey(DIGEST), store.data.get(storeKey(other))!);
    expect(await readStored(store, DIGEST)).toBeUndefined();
  });

  it('answers undefined when nothing is stored, or there is no store', async () => {
    expect(await readStored(mapStore(), DIGEST)).toBeUndefined();
    expect(await readStored(undefined, DIGEST)).toBeUndefined();
  });
});
