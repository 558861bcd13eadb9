import { describe, expect, it } from 'vitest';
import { Lru } from './lru';

describe('Lru', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.has('a')).toBe(false);
    expect([lru.get('b'), lru.get('c')]).toEqual([2, 3]);
    expect(lru.size).toBe(2);
  });

  it('get makes an entry the most recently used; has does not', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.has('a')).toBe(true);
    expect(lru.has('b')).toBe(false);
    expect(lru.has('a')).toBe(true);
    lru.set('d', 4);
    expect(lru.has('a')).toBe(false);
  });

  it('set on an existing key replaces its value and refreshes it', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('a', 10);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(10);
    expect(lru.has('b')).toBe(false);
  });

  it('lists its keys least recently used first, as a copy that deletes do not disturb', () => {
    const lru = new Lru<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    lru.get('a');
    const keys = lru.keys();
    expect(keys).toEqual(['b', 'c', 'a']);
    for (const key of keys) lru.delete(key);
    expect([keys, lru.size]).toEqual([['b', 'c', 'a'], 0]);
  });

  it('delete and clear forget entries', () => {
    const lru = new Lru<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.delete('a');
    expect(lru.get('a')).toBeUndefined();
    expect(lru.size).toBe(1);
    lru.clear();
    expect(lru.size).toBe(0);
  });
});

describe('Lru with weights', () => {
  const weighed = () => new Lru<string, string>(10, (value) => value.length);

  it('bounds the total weight, evicting the least recently used first', () => {
    const lru = weighed();
    expect(lru.set('a', 'xxxx')).toEqual([]);
    expect(lru.set('b', 'xxxx')).toEqual([]);
    lru.get('a');
    expect(lru.set('c', 'xxxx')).toEqual(['b']);
    expect(lru.weight).toBe(8);
    expect([lru.has('a'), lru.has('c')]).toEqual([true, true]);
  });

  it('keeps an entry heavier than the whole bound, alone', () => {
    const lru = weighed();
    lru.set('a', 'xx');
    expect(lru.set('big', 'x'.repeat(12))).toEqual(['a']);
    expect(lru.peek('big')).toHaveLength(12);
    expect(lru.size).toBe(1);
  });

  it('counts a replaced or deleted entry out of the weight', () => {
    const lru = weighed();
    lru.set('a', 'xxxx');
    lru.set('a', 'xx');
    expect(lru.weight).toBe(2);
    expect(lru.delete('a')).toBe(true);
    expect(lru.delete('a')).toBe(false);
    expect(lru.weight).toBe(0);
    lru.set('b', 'xxx');
    lru.clear();
    expect([lru.size, lru.weight]).toEqual([0, 0]);
  });

  it('peek does not refresh an entry', () => {
    const lru = weighed();
    lru.set('a', 'xxxx');
    lru.set('b', 'xxxx');
    lru.peek('a');
    expect(lru.set('c', 'xxxx')).toEqual(['a']);
  });
});
