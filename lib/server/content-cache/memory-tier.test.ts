import { describe, expect, it } from 'vitest';
import { MEMORY_ENTRY_OVERHEAD_BYTES, memoryEntryCost, memoryTier } from './memory-tier';

const bytes = (length: number) => new Uint8Array(length).fill(1);

describe('memory tier', () => {
  it('keeps entries up to its byte bound, least recently used out first, and leaves big entries to the disk', async () => {
    const cost = memoryEntryCost('a', bytes(10));
    const tier = memoryTier(8 * cost);
    await tier.put('a', bytes(10));
    await tier.put('b', bytes(10));
    expect(await tier.get('a')).toHaveLength(10);
    for (const key of ['c', 'd', 'e', 'f', 'g', 'h', 'i']) await tier.put(key, bytes(10));
    expect(await tier.get('b')).toBeUndefined(); // the least recently used went first
    expect(await tier.get('a')).toHaveLength(10);
    await tier.put('big', bytes(11)); // over an eighth of the bound
    expect(await tier.get('big')).toBeUndefined();
    await tier.delete('a');
    expect(await tier.get('a')).toBeUndefined();
  });

  it('counts each entry with its key and per-entry overhead, not its bytes alone', async () => {
    const key = (i: number) => `manifest/sha256:${String(i).padStart(64, '0')}`;
    const size = 300;
    const bound = 1024 * 1024;
    const tier = memoryTier(bound);
    const puts = 4000; // 4000 × 300 B = 1.2 MB of content alone
    for (let i = 0; i < puts; i++) await tier.put(key(i), bytes(size));
    let kept = 0;
    for (let i = 0; i < puts; i++) if (await tier.get(key(i))) kept++;
    // Counting bytes alone would keep 3495 of them (and use about 2.9 MB of memory for it).
    expect(kept).toBe(Math.floor(bound / (size + key(0).length + MEMORY_ENTRY_OVERHEAD_BYTES)));
    expect(kept).toBeLessThan(bound / size / 2);
  });
});
