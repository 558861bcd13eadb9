/**
 * Small helpers over the lazy lists (`AsyncIterable`) of the registry interface, and bounded concurrency.
 * Pure: usable in the browser and on the server.
 */
import { onAbort } from './abort-fanout';
import { Limiter } from './limiter';

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
 * On the first failure (or when `signal` aborts) no further calls start, the signal passed to the calls in
 * flight is aborted, and the promise rejects with that error (or the abort reason).
 */
export async function mapConcurrent<T, R>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const list = Array.from(items);
  if (signal?.aborted) throw abortReason(signal);
  if (list.length === 0) return [];
  const limiter = new Limiter(Math.max(1, Math.min(Math.floor(concurrency) || 1, list.length)));
  const controller = new AbortController();
  const unsubscribe = signal ? onAbort(signal, () => controller.abort(abortReason(signal))) : undefined;
  // The first failure aborts `controller` before its slot is released: the waiters leave the queue at once
  // (Limiter), so no further call starts, and the calls in flight see their signal abort.
  let stopWatching: (() => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    stopWatching = onAbort(controller.signal, () => reject(controller.signal.reason));
  });
  const calls = list.map((item, index) =>
    limiter.run(async () => {
      try {
        return await fn(item, index, controller.signal);
      } catch (error) {
        controller.abort(error);
        throw error;
      }
    }, controller.signal),
  );
  for (const call of calls) call.catch(() => undefined); // every rejection is reported through `failed`
  try {
    return await Promise.race([Promise.all(calls), failed]);
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
