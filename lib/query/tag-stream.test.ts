import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TagRow, TagStreamEvent } from '@/lib/api/types';
import { EMPTY_TAG_STREAM, foldTagEvents, inBatches, streamTags } from './tag-stream';

function row(name: string, extra: Partial<TagRow> = {}): TagRow {
  return { name, kind: 'tag', digest: null, mediaType: null, manifestKind: null, size: null, created: null, platforms: [], sharedWith: [], ...extra };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** An async source the test feeds by hand. */
function feed<T>() {
  const queue: T[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const items: AsyncIterable<T> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length) yield queue.shift()!;
        else if (failure) throw failure;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  return {
    items,
    push: (...values: T[]) => {
      queue.push(...values);
      poke();
    },
    end: () => {
      ended = true;
      poke();
    },
    fail: (error: unknown) => {
      failure = error;
      poke();
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('inBatches', () => {
  it('yields the first item at once, then what arrived at most once per interval, and the rest at the end', async () => {
    vi.useFakeTimers();
    const source = feed<number>();
    const batches: number[][] = [];
    const done = (async () => {
      for await (const batch of inBatches(source.items, 100)) batches.push(batch);
    })();
    source.push(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1]]);
    // Three more within the interval: held until it has passed since the first batch.
    source.push(2);
    await vi.advanceTimersByTimeAsync(30);
    source.push(3, 4);
    await vi.advanceTimersByTimeAsync(30);
    expect(batches).toEqual([[1]]);
    await vi.advanceTimersByTimeAsync(40);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    // The end does not wait for the interval.
    source.push(5);
    source.end();
    await vi.advanceTimersByTimeAsync(0);
    await done;
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('stops reading its source when the consumer stops early', async () => {
    let read = 0;
    let closed = false;
    const source = feed<number>();
    const counted: AsyncIterable<number> = {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const item of source.items) {
            read++;
            yield item;
          }
        } finally {
          closed = true;
        }
      },
    };
    source.push(1);
    for await (const batch of inBatches(counted, 10)) {
      expect(batch).toEqual([1]);
      break;
    }
    source.push(2, 3, 4);
    for (let i = 0; i < 20 && !closed; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
    expect(read).toBeLessThanOrEqual(2);
  });

  it('yields what arrived before a failure, then rejects with it', async () => {
    const source = feed<number>();
    const batches: number[][] = [];
    const run = (async () => {
      for await (const batch of inBatches(source.items, 10)) batches.push(batch);
    })();
    source.push(1, 2);
    source.fail(new Error('cut off'));
    await expect(run).rejects.toThrow('cut off');
    expect(batches.flat()).toEqual([1, 2]);
  });

  it('makes 2,000 rows arriving one by one over 2 s a handful of batches', async () => {
    vi.useFakeTimers();
    const source = feed<number>();
    const batches: number[][] = [];
    const done = (async () => {
      for await (const batch of inBatches(source.items, 150)) batches.push(batch);
    })();
    for (let i = 0; i < 2000; i++) {
      source.push(i);
      await vi.advanceTimersByTimeAsync(1);
    }
    source.end();
    await vi.advanceTimersByTimeAsync(0);
    await done;
    expect(batches.flat()).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(batches.length).toBeLessThanOrEqual(2000 / 150 + 2);
  });
});

describe('foldTagEvents', () => {
  it('keeps the latest row per name, the tag count, the summary, and what the batch changed', () => {
    const first = foldTagEvents(EMPTY_TAG_STREAM, [{ type: 'start', tags: 3 }, { type: 'row', row: row('a') }, { type: 'row', row: row('b') }]);
    expect(first).toMatchObject({ tags: 3, end: null, batch: 1 });
    expect([...first.rows.keys()]).toEqual(['a', 'b']);
    const replaced = row('a', { sharedWith: ['c'] });
    const second = foldTagEvents(first, [{ type: 'row', row: row('c') }, { type: 'row', row: replaced }, { type: 'end', total: 3, errors: 0 }]);
    expect(second.rows.get('a')).toBe(replaced);
    expect(second.changed.map((r) => r.name)).toEqual(['c', 'a']);
    expect(second).toMatchObject({ end: { total: 3, errors: 0 }, batch: 2 });
    // The earlier state is left as it was (React compares by reference).
    expect(first.rows.get('a')).not.toBe(replaced);
    expect(first.rows.size).toBe(2);
  });
});

describe('streamTags', () => {
  const ndjson = (events: unknown[]) =>
    new Response(events.map((e) => JSON.stringify(e)).join('\n') + '\n', { status: 200, headers: { 'content-type': 'application/x-ndjson' } });

  it('asks for NDJSON and yields the events', async () => {
    const fetchMock = vi.fn(async () => ndjson([{ type: 'start', tags: 1 }, { type: 'row', row: row('a') }, { type: 'end', total: 1, errors: 0 }]));
    vi.stubGlobal('fetch', fetchMock);
    const events = (await collect(streamTags('s', 'team/app'))).flat();
    expect(events.map((e: TagStreamEvent) => e.type)).toEqual(['start', 'row', 'end']);
    expect(fetchMock).toHaveBeenCalledWith('/api/sources/s/repositories/team/app/-/tags', expect.objectContaining({ headers: { accept: 'application/x-ndjson' } }));
  });

  it('throws the error line as a RegistryError, and a JSON error status as well', async () => {
    vi.stubGlobal('fetch', async () => ndjson([{ type: 'start', tags: 1 }, { type: 'error', error: { code: 'UNAVAILABLE', message: 'registry gone' } }]));
    await expect(collect(streamTags('s', 'r'))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'registry gone' });
    vi.stubGlobal('fetch', async () => Response.json({ errors: [{ code: 'NAME_UNKNOWN', message: 'no such repository' }] }, { status: 404 }));
    await expect(collect(streamTags('s', 'r'))).rejects.toMatchObject({ code: 'NAME_UNKNOWN', status: 404 });
  });

  it('throws when the stream ends without its summary line (a cut connection)', async () => {
    vi.stubGlobal('fetch', async () => ndjson([{ type: 'start', tags: 2 }, { type: 'row', row: row('a') }]));
    await expect(collect(streamTags('s', 'r'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
