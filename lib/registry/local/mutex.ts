/**
 * An in-process async mutex per key. The layout backend serialises every read-modify-write of a
 * repository's `index.json` through it (regclient's ocidir does the same with a Go mutex), so concurrent
 * requests never lose each other's tags.
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
