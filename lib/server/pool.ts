/**
 * One bounded-concurrency pool per source: every registry call made for details (tags, children, configs,
 * referrers) goes through it, so one page view never asks a registry for more than `concurrency` things at
 * once, however many tags the repository has.
 */
import 'server-only';

export class Pool {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  /** Calls started so far (for tests and diagnostics). */
  started = 0;

  constructor(readonly concurrency: number) {}

  /**
   * Runs `task` when a slot is free; the slot is held until its promise settles. A caller whose `signal`
   * aborts while waiting leaves the queue (rejecting with the signal's reason) and never takes a slot.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.active >= this.concurrency) {
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const index = this.queue.indexOf(grant);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.queue.push(grant);
      });
    } else {
      this.active++;
    }
    this.started++;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      // Hand the slot straight to the next waiter; otherwise free it.
      if (next) next();
      else this.active--;
    }
  }

  get inFlight(): number {
    return this.active;
  }
}
