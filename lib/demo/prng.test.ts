import { describe, expect, it } from 'vitest';
import { createPrng } from './prng';

describe('createPrng', () => {
  it('gives equal streams for equal seeds and different ones for different seeds', () => {
    const draw = (seed: string) => {
      const rng = createPrng(seed);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('keeps values in range', () => {
    const rng = createPrng('range');
    const ints = Array.from({ length: 2000 }, () => rng.int(3, 7));
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(7);
    for (let i = 0; i < 1000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(rng.hex(13)).toMatch(/^[0-9a-f]{13}$/);
    expect(['x', 'y']).toContain(rng.pick(['x', 'y']));
  });

  it('forks independently of how much the parent drew', () => {
    const a = createPrng('p');
    const b = createPrng('p');
    b.next();
    b.next();
    expect(a.fork('child').hex(16)).toBe(b.fork('child').hex(16));
    expect(a.fork('child').hex(16)).not.toBe(a.fork('other').hex(16));
  });
});
