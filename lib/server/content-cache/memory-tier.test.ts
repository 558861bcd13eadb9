import { describe, expect, it } from 'vitest';
import { memoryTier } from './memory-tier';

const bytes = (length: number) => new Uint8Array(length).fill(1);

describe('memory tier', () => {
  it('keeps entries up to its byte bound, least recently used out first, and leaves big entries to the disk', async () => {
    const tier = memoryTier(80);
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
});
