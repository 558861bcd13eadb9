/**
 * Runs one async job per item with small concurrency. Items with the same group key (tags on one digest)
 * run one after another: two concurrent tag deletes on one manifest could race in a registry's
 * placeholder fallback (push dummy, retag, delete dummy).
 */
export async function runGrouped<T>(
  items: readonly T[],
  groupOf: (item: T) => string,
  concurrency: number,
  job: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = groupOf(item);
    const list = groups.get(key);
    if (list) list.push(index);
    else groups.set(key, [index]);
  });
  const queue = [...groups.values()];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const index of group) {
        if (signal?.aborted) return;
        await job(items[index] as T, index);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
}
