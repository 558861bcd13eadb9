import { describe, expect, it } from 'vitest';
import { runGrouped } from './run-grouped';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('runGrouped', () => {
  it('runs every item once, groups in sequence, at most `concurrency` at a time', async () => {
    const items = [
      { name: 'a', digest: 'd1' },
      { name: 'b', digest: 'd1' },
      { name: 'c', digest: 'd2' },
      { name: 'd', digest: 'd3' },
      { name: 'e', digest: 'd1' },
    ];
    let running = 0;
    let peak = 0;
    const perGroupRunning = new Map<string, number>();
    const done: string[] = [];
    await runGrouped(items, (i) => i.digest, 2, async (item) => {
      running++;
      peak = Math.max(peak, running);
      perGroupRunning.set(item.digest, (perGroupRunning.get(item.digest) ?? 0) + 1);
      expect(perGroupRunning.get(item.digest)).toBe(1);
      await tick();
      perGroupRunning.set(item.digest, (perGroupRunning.get(item.digest) ?? 0) - 1);
      running--;
      done.push(item.name);
    });
    expect(done.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(peak).toBe(2);
  });

  it('stops starting jobs once aborted', async () => {
    const controller = new AbortController();
    const done: number[] = [];
    await runGrouped([1, 2, 3, 4], () => 'same', 3, async (item) => {
      done.push(item);
      if (item === 2) controller.abort();
      await tick();
    }, controller.signal);
    expect(done).toEqual([1, 2]);
  });

  it('does nothing for no items', async () => {
    let calls = 0;
    await runGrouped([], () => 'x', 2, async () => {
      calls++;
    });
    expect(calls).toBe(0);
  });
});
