import { describe, expect, it } from 'vitest';
import { ByteLru } from './byte-lru';

describe('ByteLru', () => {
  it('evicts the least recently used entries beyond its byte bound', () => {
    const lru = new ByteLru<string>(10);
    expect(lru.set('a', 'A', 4)).toEqual([]);
    expect(lru.set('b', 'B', 4)).toEqual([]);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    expect(lru.set('c', 'C', 4)).toEqual(['b']);
    expect(lru.bytes).toBe(8);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
  });

  it('does not keep an entry larger than the bound, and replaces an entry in place', () => {
    const lru = new ByteLru<string>(10);
    expect(lru.set('big', 'X', 11)).toEqual(['big']);
    expect(lru.has('big')).toBe(false);
    lru.set('a', 'A', 3);
    lru.set('a', 'A2', 5);
    expect(lru.bytes).toBe(5);
    expect(lru.peek('a')).toBe('A2');
    expect([lru.sizeOf('a'), lru.sizeOf('missing')]).toEqual([5, undefined]);
    expect(lru.delete('a')).toBe(true);
    expect(lru.bytes).toBe(0);
    expect(lru.size).toBe(0);
  });
});
