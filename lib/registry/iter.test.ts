import { describe, expect, it } from 'vitest';
import { afterCursor, collect, compareByteOrder, failing, fromArray, mapConcurrent, take } from './iter';
import { abortListeners, collectListenerWarnings } from './testing/listener-warnings';

/** A generator that records how far it was read and whether it was closed. */
function counting(n: number) {
  const state = { produced: 0, closed: false };
  async function* gen() {
    try {
      for (let i = 0; i < n; i++) {
        state.produced++;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, iterable: gen() };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('collect / take / fromArray', () => {
  it('collects everything, or stops at the limit and closes the source', async () => {
    expect(await collect(fromArray([1, 2, 3]))).toEqual([1, 2, 3]);
    expect(await collect([4, 5])).toEqual([4, 5]);
    const { state, iterable } = counting(100);
    expect(await collect(iterable, 3)).toEqual([0, 1, 2]);
    expect(state.produced).toBe(3);
    expect(state.closed).toBe(true);
    expect(await collect(fromArray([1]), 0)).toEqual([]);
  });

  it('take is lazy and closes the source after the last item', async () => {
    const { state, iterable } = counting(100);
    const taken = take(iterable, 2);
    expect(state.produced).toBe(0);
    expect(await collect(taken)).toEqual([0, 1]);
    expect(state.produced).toBe(2);
    expect(state.closed).toBe(true);
    expect(await collect(take(fromArray([1, 2]), 5))).toEqual([1, 2]);
    expect(await collect(take(fromArray([1, 2]), 0))).toEqual([]);
  });

  it('fromArray copies its input', async () => {
    const items = [1, 2];
    const it = fromArray(items);
    items.push(3);
    expect(await collect(it)).toEqual([1, 2]);
  });

  it('failing rejects on the first next()', async () => {
    const error = new Error('boom');
    const list = failing(error);
    await expect(collect(list)).rejects.toBe(error);
  });
});

describe('mapConcurrent', () => {
  it('keeps input order and never exceeds the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapConcurrent(Array.from({ length: 20 }, (_, i) => i), 3, async (item) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, (item * 7) % 5));
      inFlight--;
      return item * 10;
    });
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(peak).toBe(3);
  });

  it("passes each item's position in the list, also from a generator and when calls finish out of order", async () => {
    function* letters() {
      for (let i = 0; i < 12; i++) yield String.fromCharCode(97 + i);
    }
    const seen: [string, number][] = [];
    const finished: number[] = [];
    const done = Array.from({ length: 12 }, () => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const results = await mapConcurrent(letters(), 4, async (letter, index) => {
      seen.push([letter, index]);
      // In each group of four, an item waits for the next one to finish: 3, 2, 1, 0, 7, 6, 5, 4, … (no timers).
      if (index % 4 !== 3) await done[index + 1]!.promise;
      finished.push(index);
      done[index]!.resolve();
      return `${letter}${index}`;
    });
    expect(seen.sort((a, b) => a[1] - b[1])).toEqual([...letters()].map((letter, i) => [letter, i]));
    expect(finished).toEqual([3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8]);
    expect(results).toEqual([...letters()].map((letter, i) => `${letter}${i}`));
  });

  it('handles empty input and odd concurrency values', async () => {
    expect(await mapConcurrent([], 4, async () => 1)).toEqual([]);
    expect(await mapConcurrent([1, 2], 0, async (x) => x + 1)).toEqual([2, 3]);
    expect(await mapConcurrent([1, 2], 100, async (x, i) => x + i)).toEqual([1, 3]);
  });

  it('rejects with the first error, starts nothing more and aborts calls in flight', async () => {
    const started: number[] = [];
    const signals: AbortSignal[] = [];
    const error = new Error('item 2 failed');
    const run = mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (item, _index, signal) => {
      started.push(item);
      signals.push(signal);
      if (item === 2) throw error;
      await tick();
      await tick();
      return item;
    });
    await expect(run).rejects.toBe(error);
    await tick();
    await tick();
    await tick();
    expect(started).not.toContain(5);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const error = new Error('sync');
    await expect(
      mapConcurrent([1], 1, () => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapConcurrent([1, 2, 3, 4], 1, async (item) => {
      started.push(item);
      if (item === 2) controller.abort(new Error('cancelled'));
      await tick();
      return item;
    }, controller.signal);
    await expect(run).rejects.toThrow('cancelled');
    expect(started).toEqual([1, 2]);
    const aborted = AbortSignal.abort(new Error('already'));
    await expect(mapConcurrent([1], 1, async (x) => x, aborted)).rejects.toThrow('already');
  });

  it('waits on one signal for 200 items without a listener warning, and leaves no listener behind', async () => {
    const warnings = collectListenerWarnings();
    try {
      const controller = new AbortController();
      const inner: AbortSignal[] = [];
      const counts: number[] = [];
      const results = await mapConcurrent(Array.from({ length: 200 }, (_, i) => i), 4, async (item, _i, signal) => {
        inner.push(signal);
        counts.push(abortListeners(controller.signal), abortListeners(signal));
        await tick();
        return item * 2;
      }, controller.signal);
      expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
      expect(Math.max(...counts)).toBe(1);
      expect(abortListeners(controller.signal)).toBe(0);
      expect(abortListeners(inner[0]!)).toBe(0);
      expect(await warnings.messages()).toEqual([]);
    } finally {
      warnings.stop();
    }
  });

  it('after a failure with 200 items queued, leaves no listener on the caller\'s signal', async () => {
    const controller = new AbortController();
    const run = mapConcurrent(Array.from({ length: 200 }, (_, i) => i), 4, async (item) => {
      await tick();
      if (item === 3) throw new Error('third');
      return item;
    }, controller.signal);
    await expect(run).rejects.toThrow('third');
    expect(abortListeners(controller.signal)).toBe(0);
  });
});

describe('mapConcurrent over an iterator (the tag view\'s window)', () => {
  it('takes items lazily: never more than `concurrency` taken beyond the calls that finished', async () => {
    let taken = 0;
    let finished = 0;
    let ahead = 0;
    function* items() {
      for (let i = 0; i < 60; i++) {
        taken++;
        ahead = Math.max(ahead, taken - finished);
        yield i;
      }
    }
    const results = await mapConcurrent(items(), 5, async (item) => {
      await new Promise((resolve) => setTimeout(resolve, item % 3));
      finished++;
      return item + 1;
    });
    expect(results).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(ahead).toBe(5);
  });

  it('starts no new call once the signal aborted and rejects with its reason, leaving no listener', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapConcurrent(Array.from({ length: 100 }, (_, i) => i), 4, async (item) => {
      started.push(item);
      await tick();
      if (item === 5) controller.abort(new Error('client left'));
      return item;
    }, controller.signal);
    await expect(run).rejects.toThrow('client left');
    await tick();
    await tick();
    expect(started.length).toBeLessThan(12);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('rejects when the iterator throws, and starts nothing more', async () => {
    const started: number[] = [];
    function* items() {
      yield 1;
      yield 2;
      throw new Error('broken list');
    }
    await expect(
      mapConcurrent(items(), 2, async (item) => {
        started.push(item);
        await tick();
        return item;
      }),
    ).rejects.toThrow('broken list');
    expect(started).toEqual([1, 2]);
  });

  it('starts one call per item when the list is shorter than the window', async () => {
    let calls = 0;
    expect(await mapConcurrent(['a', 'b'], 512, async (s, i) => (calls++, `${s}${i}`))).toEqual(['a0', 'b1']);
    expect(calls).toBe(2);
  });
});

describe('afterCursor / compareByteOrder', () => {
  const sorted = ['a', 'b', 'b1', 'c', 'd'];

  it('returns the items strictly after the cursor, which need not be an item', () => {
    expect(afterCursor(sorted, undefined)).toEqual(sorted);
    expect(afterCursor(sorted, '')).toEqual(sorted);
    expect(afterCursor(sorted, 'b')).toEqual(['b1', 'c', 'd']);
    expect(afterCursor(sorted, 'b0')).toEqual(['b1', 'c', 'd']);
    expect(afterCursor(sorted, '0')).toEqual(sorted);
    expect(afterCursor(sorted, 'd')).toEqual([]);
    expect(afterCursor(sorted, 'z')).toEqual([]);
  });

  it('takes a key for objects', () => {
    const rows = sorted.map((name) => ({ name }));
    expect(afterCursor(rows, 'c', (r) => r.name)).toEqual([{ name: 'd' }]);
  });

  it('orders by code point (UTF-8 bytes), unlike the default sort above U+FFFF', () => {
    const items = ['b', 'B', 'a-1', 'a.1', 'a_1', '\u{1F600}', '\uFF5E', 'ab', 'a'];
    expect(items.slice().sort(compareByteOrder)).toEqual(['B', 'a', 'a-1', 'a.1', 'a_1', 'ab', 'b', '\uFF5E', '\u{1F600}']);
    expect(compareByteOrder('x', 'x')).toBe(0);
    // UTF-16 code-unit order (the default) puts the emoji (0xD83D...) before U+FF5E.
    expect(['\u{1F600}', '\uFF5E'].sort()).toEqual(['\u{1F600}', '\uFF5E']);
  });
});
