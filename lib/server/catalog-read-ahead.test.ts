import { describe, expect, it } from 'vitest';
import type { RepositoriesResponse } from '@/lib/api/types';
import { forgetReadAhead, READ_AHEAD_MS, readAhead, takeReadAhead } from './catalog-read-ahead';

const page = (name: string): Promise<RepositoriesResponse> => Promise.resolve({ repositories: [name], next: name });

describe('catalog read ahead', () => {
  it('gives a page out once, only within READ_AHEAD_MS of its read, and per page size and source', async () => {
    const source = {};
    readAhead(source, 3, 'a', () => page('after-a'), 1_000);
    expect(takeReadAhead({}, 3, 'a', 1_000)).toBeUndefined();
    expect(takeReadAhead(source, 4, 'a', 1_000)).toBeUndefined();
    expect(await takeReadAhead(source, 3, 'a', 1_000 + READ_AHEAD_MS - 1)).toEqual({ repositories: ['after-a'], next: 'after-a' });
    expect(takeReadAhead(source, 3, 'a', 1_000)).toBeUndefined();
    readAhead(source, 3, 'b', () => page('after-b'), 1_000);
    expect(takeReadAhead(source, 3, 'b', 1_000 + READ_AHEAD_MS)).toBeUndefined();
  });

  it('reads a page once while it is kept, keeps at most 16 per source, and forgets them all on request', () => {
    const source = {};
    let reads = 0;
    const read = () => ((reads += 1), page('x'));
    readAhead(source, 3, 'a', read, 0);
    readAhead(source, 3, 'a', read, 0);
    expect(reads).toBe(1);
    for (let i = 0; i < 16; i++) readAhead(source, 3, `name-${i}`, read, 0);
    expect(takeReadAhead(source, 3, 'a', 0)).toBeUndefined(); // the oldest went
    expect(takeReadAhead(source, 3, 'name-15', 0)).toBeDefined();
    forgetReadAhead(source);
    expect(takeReadAhead(source, 3, 'name-14', 0)).toBeUndefined();
  });

  it('keeps a failed read as a miss, without an unhandled rejection', async () => {
    const source = {};
    readAhead(source, 3, 'a', () => Promise.reject(new Error('registry down')), 0);
    await expect(takeReadAhead(source, 3, 'a', 0)).rejects.toThrow('registry down');
  });
});
