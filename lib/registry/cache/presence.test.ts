import { describe, expect, it } from 'vitest';
import type { Digest } from '@/lib/oci/types';
import { presenceEntry, presenceRecords } from './presence';
import { mapStore } from './testing/map-store';

const digest = `sha256:${'1'.repeat(64)}` as Digest;

/** A map store that counts its writes. */
function countingStore() {
  const inner = mapStore();
  const puts: string[] = [];
  return { ...inner, puts, put: async (key: string, bytes: Uint8Array) => void (puts.push(key), await inner.put(key, bytes)) };
}

describe('presence records', () => {
  it('are kept per scope and repository', async () => {
    const store = countingStore();
    const one = presenceRecords(store, 'registry-one');
    await one.record('app', [digest]);
    expect(await one.has('app', digest)).toBe(true);
    expect(await one.has('other', digest)).toBe(false);
    expect(await presenceRecords(store, 'registry-two').has('app', digest)).toBe(false);
    expect(store.data.has(presenceEntry('registry-one', 'app', digest).key)).toBe(true);
  });

  it('are written once per process, however often they are recorded', async () => {
    const store = countingStore();
    const records = presenceRecords(store, 'scope');
    await records.record('app', [digest, digest]);
    await records.record('app', [digest]);
    await presenceRecords(store, 'scope').record('app', [digest]);
    expect(store.puts).toEqual([presenceEntry('scope', 'app', digest).key]);
  });

  it('are written again after being forgotten', async () => {
    const store = countingStore();
    const records = presenceRecords(store, 'scope');
    await records.record('app', [digest]);
    await records.forget('app', [digest]);
    expect(await records.has('app', digest)).toBe(false);
    await records.record('app', [digest]);
    expect(store.puts).toHaveLength(2);
    expect(await records.has('app', digest)).toBe(true);
  });
});
