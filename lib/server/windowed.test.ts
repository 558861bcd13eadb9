import { describe, expect, it } from 'vitest';
import { mapWindowed } from './windowed';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('mapWindowed', () => {
  it('keeps at most `width` calls in progress and returns the results in input order', async () => {
    let inProgress = 0;
    let peak = 0;
    const items = Array.from({ length: 50 }, (_, i) => i);
    const results = await mapWindowed(items, 7, async (item) => {
      inProgress++;
      peak = Math.max(peak, inProgress);
      // Later items finish sooner: the order of results must still be the input's.
      await new Promise((resolve) => setTimeout(resolve, (50 - item) % 5));
      inProgress--;
      return item * 2;
    });
    expect(results).toEqual(items.map((i) => i * 2));
    expect(peak).toBe(7);
  });

  it('starts no new call once the signal has aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const done = mapWindowed(
      Array.from({ length: 100 }, (_, i) => i),
      4,
      async (item) => {
        started.push(item);
        await tick();
        if (item === 5) controller.abort();
        return item;
      },
      controller.signal,
    );
    await done;
    expect(started.length).toBeLessThan(12);
  });

  it('handles an empty list and a list shorter than the window', async () => {
    expect(await mapWindowed([], 8, async () => 1)).toEqual([]);
    expect(await mapWindowed(['a', 'b'], 8, async (s, i) => `${s}${i}`)).toEqual(['a0', 'b1']);
  });

  it('rejects when a call rejects, and starts no further call', async () => {
    await expect(mapWindowed([1, 2, 3], 2, async (n) => (n === 2 ? Promise.reject(new Error('boom')) : n))).rejects.toThrow('boom');
    const started: number[] = [];
    const items = Array.from({ length: 100 }, (_, i) => i);
    await expect(
      mapWindowed(items, 4, async (item) => {
        started.push(item);
        await tick();
        if (item === 2) throw new Error('boom');
        return item;
      }),
    ).rejects.toThrow('boom');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started.length).toBeLessThan(12);
  });
});
