import { describe, expect, it } from 'vitest';
import { readAllPages } from './pages';

describe('readAllPages', () => {
  it('follows next until it is null', async () => {
    const asked: (string | undefined)[] = [];
    const pages = await readAllPages(async (last) => {
      asked.push(last);
      const at = last === undefined ? 0 : Number(last) + 1;
      return { items: [at, at + 1], next: at + 1 < 5 ? String(at + 1) : null };
    });
    expect(asked).toEqual([undefined, '1', '3']);
    expect(pages.flatMap((p) => p.items)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('stops when the cursor does not advance', async () => {
    let calls = 0;
    const pages = await readAllPages(async () => {
      calls++;
      return { next: 'same' };
    });
    expect(calls).toBe(2);
    expect(pages).toHaveLength(2);
  });
});
