/**
 * Works through a long list with a bounded number of items in progress at once. A tag view of a big repository
 * (20,000 tags) that starts every tag at once holds, for each tag, its pending task, promises, closures and an
 * abort listener on the request's signal until the pool gets to it — hundreds of megabytes at the peak — while
 * the registry pool admits only a few dozen requests anyway. A window a few times wider than the largest pool
 * keeps the pool as busy as before and the memory bounded by the window.
 */
import 'server-only';

/** Items in progress at once: above the largest registry pool (`maxConcurrency` ≤ 256), so it never starves. */
export const RESOLVE_WINDOW = 512;

/**
 * Runs `fn` over `items` with at most `width` calls in progress and returns the results in input order. No new
 * call starts once `signal` has aborted (the calls in progress end as they would; their results are returned
 * with holes for the items never started, so callers check `signal` after). A rejected call rejects the whole,
 * and no further call starts.
 */
export async function mapWindowed<T, R>(
  items: readonly T[],
  width: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !signal?.aborted && !failed) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        // The whole rejects: the other workers start nothing more.
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
