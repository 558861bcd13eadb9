/**
 * The one concurrency primitive: a counting semaphore with FIFO waiters that leave the queue when their abort
 * signal fires. It serves every bounded-concurrency need:
 * - the HTTP transport: at most `concurrency` requests in flight per registry, a slot held from sending a
 *   request until its body has been read or discarded (regclient does the same) — `acquire`;
 * - each source's details pool (lib/server/sources.ts): at most `concurrency` registry calls at once for one
 *   source, however many tags a page has — `run`;
 * - `mapConcurrent` (iter.ts) and the benchmark scripts — `run`.
 * Pure (no Node imports), so that every layer and the bench scripts can use it.
 */

/** Releases a slot; calling it more than once is harmless. */
export type Release = () => void;

export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /**
   * Waits for a free slot; the caller releases it. A caller whose `signal` aborts while waiting leaves the
   * queue (rejecting with the signal's reason) and never takes a slot.
   */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve(this.releaser());
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  /**
   * Runs `task` when a slot is free; the slot is held until its promise settles. Waiting ends like
   * {@link acquire}'s when `signal` aborts (the task never starts).
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** Slots currently held (for tests and diagnostics). */
  get inFlight(): number {
    return this.active;
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}
