/**
 * The one concurrency primitive: a counting semaphore with FIFO waiters that leave the queue when their abort
 * signal fires. It serves every bounded-concurrency need:
 * - the HTTP transport: at most `concurrency` requests in flight per registry, a slot held from sending a
 *   request until its body has been read or discarded (regclient does the same) — `acquire`;
 * - each source's details pool (lib/server/sources.ts): at most `concurrency` registry calls at once for one
 *   source, however many tags a page has — `run`;
 * - the benchmark scripts — `run`. (`mapConcurrent` in iter.ts bounds its work with cursor workers instead.)
 * Its limit may change while it is in use ({@link Limiter.resize}) and new grants may be held back for a while
 * ({@link Limiter.holdFor}): the adaptive per-registry limit (lib/registry/http/transport/adaptive-limit.ts)
 * steers one instance through them.
 * Pure (no Node imports), so that every layer and the bench scripts can use it.
 */
import { onAbort } from './abort-fanout';

/** Releases a slot; calling it more than once is harmless. */
export type Release = () => void;

export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private current: number;
  /** While set, no slot is granted (a registry's Retry-After); the timer grants again when it fires. */
  private hold: { until: number; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(limit: number) {
    this.current = limit;
  }

  /** Slots that may be held at once. */
  get limit(): number {
    return this.current;
  }

  /**
   * Changes the limit. Raising it grants waiters at once; lowering it takes no slot back: holders finish and
   * no new slot is granted until fewer than `limit` are held.
   */
  resize(limit: number): void {
    this.current = limit;
    this.grantWaiting();
  }

  /**
   * Grants no slot for `ms` (a longer hold already set wins); waiters stay queued and are granted afterwards.
   * Slots already held are unaffected.
   */
  holdFor(ms: number): void {
    const until = Date.now() + ms;
    if (ms <= 0 || (this.hold && this.hold.until >= until)) return;
    if (this.hold) clearTimeout(this.hold.timer);
    const timer = setTimeout(() => {
      this.hold = undefined;
      this.grantWaiting();
    }, ms);
    // Not unref'd: a process whose only work is waiting out the hold must not exit before it ends.
    this.hold = { until, timer };
  }

  /** Whether new slots are being held back ({@link holdFor}). */
  get held(): boolean {
    return this.hold !== undefined;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Waits for a free slot; the caller releases it. A caller whose `signal` aborts while waiting leaves the
   * queue (rejecting with the signal's reason) and never takes a slot.
   */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.current && !this.hold && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const grant = () => {
        unsubscribe?.();
        this.active++;
        resolve(this.releaser());
      };
      // Through the signal's one shared listener: a view queues hundreds of waiters on its request's signal.
      const unsubscribe = signal
        ? onAbort(signal, () => {
            const index = this.waiting.indexOf(grant);
            if (index >= 0) this.waiting.splice(index, 1);
            reject(signal.reason);
          })
        : undefined;
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
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    while (!this.hold && this.active < this.current && this.waiting.length > 0) this.waiting.shift()!();
  }
}
