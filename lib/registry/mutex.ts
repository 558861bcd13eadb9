/**
 * An in-process async mutex per key, for read-modify-write cycles: the layout backend serialises every update
 * of a repository's `index.json` through it, the HTTP backend every update of a referrers fallback index
 * (regclient does the same with Go mutexes). Processes sharing a registry can still race, the spec's accepted risk.
 */
import 'server-only';

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` once every earlier task for `key` has settled; tasks for other keys run concurrently. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      // Drop the entry when nobody queued behind us, so the map does not grow with every repository ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
