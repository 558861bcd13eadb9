/**
 * Small helpers over the lazy lists (`AsyncIterable`) of the registry interface, and bounded concurrency.
 * Pure: usable in the browser and on the server.
 */
import { onAbort } from './abort-fanout';

/** Any list a helper accepts: async (registry listings) or sync (arrays, generators). */
export type AnyIterable<T> = AsyncIterable<T> | Iterable<T>;

/**
 * Reads a list into an array, stopping after `limit` items (the source is then closed, which ends paging
 * in the HTTP backend). Without `limit` the whole list is read.
 */
export async function collect<T>(iterable: AnyIterable<T>, limit = Infinity): Promise<T[]> {
  const items: T[] = [];
  if (limit <= 0) return items;
  for await (const item of iterable) {
    items.push(item);
    if (items.length >= limit) break;
  }
  return items;
}

/** The first `count` items of a list, lazily; the source is closed once they are taken. */
export async function* take<T>(iterable: AnyIterable<T>, count: number): AsyncGenerator<T, void, undefined> {
  if (count <= 0) return;
  let taken = 0;
  for await (const item of iterable) {
    yield item;
    if (++taken >= count) return;
  }
}

/** An async list over an array (copied, so later changes to the array do not leak into an iteration). */
export function fromArray<T>(items: readonly T[]): AsyncGenerator<T, void, undefined> {
  // Copied now: a generator's body would only run (and copy) at the first next().
  const copy = items.slice();
  return (async function* () {
    yield* copy;
  })();
}

/** An async list that rejects with `error` on its first `next()`: how a list method reports failure. */
export function failing<T = never>(error: unknown): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.reject(error),
      return: (value?: unknown) => Promise.resolve({ done: true as const, value: value as T }),
    }),
  };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight and returns the results in input order.
 * `fn` gets each item with its position in `items` (0-based, whatever order the calls finish in).
 * On the first failure (or when `signal` aborts) no further calls start, the signal passed to the calls in
 * flight is aborted, and the promise rejects with that error (or the abort reason) at once.
 *
 * `concurrency` workers take the next item from one cursor over `items` as each finishes its last, so the
 * memory held is the window's, not the list's: `items` is read lazily (a generator may make them as they are
 * taken), and nothing is queued per item — a tag view of 20,000 tags holds at most the window in progress
 * (lib/server/windowed.ts), not a pending call, closure and abort listener for every tag.
 */
export async function mapConcurrent<T, R>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  if (signal?.aborted) throw abortReason(signal);
  const cursor = items[Symbol.iterator]();
  const results: R[] = [];
  const controller = new AbortController();
  const unsubscribe = signal ? onAbort(signal, () => controller.abort(abortReason(signal))) : undefined;
  let stopWatching: (() => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    stopWatching = onAbort(controller.signal, () => reject(controller.signal.reason));
  });
  failed.catch(() => undefined); // reported through the race below, or not at all once every call is done
  let taken = 0;
  let exhausted = false;
  const worker = async (): Promise<void> => {
    // The cursor is shared: each step takes one item, and none once the run has failed or been aborted.
    while (!exhausted && !controller.signal.aborted) {
      try {
        const step = cursor.next();
        if (step.done) {
          exhausted = true;
          return;
        }
        const index = taken++;
        results[index] = await fn(step.value, index, controller.signal);
      } catch (error) {
        // The first failure aborts the others' signal: they start nothing more, and the race below rejects.
        if (!controller.signal.aborted) controller.abort(error);
        throw error;
      }
    }
  };
  const width = Math.max(1, Math.floor(concurrency) || 1);
  const workers: Promise<void>[] = [];
  for (let i = 0; i < width && !exhausted; i++) workers.push(worker());
  for (const w of workers) w.catch(() => undefined); // every rejection is reported through `failed`
  try {
    await Promise.race([Promise.all(workers), failed]);
    return results;
  } finally {
    unsubscribe?.();
    stopWatching?.();
  }
}

/**
 * Orders strings by their UTF-8 bytes (= Unicode code points), the order registries use for tags and
 * repositories. JavaScript's default comparison uses UTF-16 code units, which differs above U+FFFF.
 */
export function compareByteOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * The items strictly after `startAfter` in a list sorted by {@link compareByteOrder} (the spec's `last`
 * cursor, which need not be an item of the list). Without a cursor, all items.
 */
export function afterCursor<T>(sortedItems: readonly T[], startAfter: string | undefined, key: (item: T) => string = String): T[] {
  if (startAfter === undefined || startAfter === '') return sortedItems.slice();
  let low = 0;
  let high = sortedItems.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareByteOrder(key(sortedItems[mid]!), startAfter) <= 0) low = mid + 1;
    else high = mid;
  }
  return sortedItems.slice(low);
}
