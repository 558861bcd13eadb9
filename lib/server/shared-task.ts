/**
 * Work that several requests share (details by digest, a repository's tag list, a tag's manifest) and that
 * is cancelled only when every request waiting for it has gone. The work runs under its own AbortController;
 * each request joins with its own signal and, when that signal aborts, stops waiting at once (rejecting with
 * its reason). When the last waiter has left before the work settled, the work is aborted: its registry
 * requests are cancelled and their concurrency slots freed. A waiter without a signal (page prefetch, the
 * CLI) pins the work: it then always runs to its end.
 */
import 'server-only';
import { onAbort, type Unsubscribe } from '@/lib/registry/abort-fanout';
import type { Lru } from '@/lib/registry/lru';

export class SharedTask<T> {
  readonly promise: Promise<T>;
  /** The work's own abort controller; released once the work settled (a listing keeps a task per tag). */
  private controller: AbortController | undefined = new AbortController();
  private aborted = false;
  private waiters = 0;
  private pinned = false;
  private settled = false;
  /** When the work settled (ms since the epoch); undefined while it runs. */
  settledAt?: number;

  /** Starts `run` at once with the task's own signal. `onAbandoned` runs when it is aborted for lack of waiters. */
  constructor(run: (signal: AbortSignal) => Promise<T>, private onAbandoned?: () => void) {
    this.promise = run(this.controller!.signal);
    const settle = () => {
      this.settled = true;
      this.settledAt = Date.now();
      // Nothing can abort settled work: what held the signal and the callback is garbage now.
      this.controller = undefined;
      this.onAbandoned = undefined;
    };
    this.promise.then(settle, settle);
  }

  /** True once the work was aborted because nobody waited for it any more. */
  get abandoned(): boolean {
    return this.aborted;
  }

  /** Waits for the work on behalf of a request with `signal` (see the module comment). */
  join(signal?: AbortSignal): Promise<T> {
    if (this.settled) return this.promise;
    if (!signal) {
      this.pinned = true;
      return this.promise;
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    this.waiters++;
    return new Promise<T>((resolve, reject) => {
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        unsubscribe();
        this.waiters--;
      };
      // Through the signal's one shared listener (abort-fanout.ts): a view joins one task per tag.
      const unsubscribe: Unsubscribe = onAbort(signal, () => {
        leave();
        reject(signal.reason);
        if (this.waiters === 0 && !this.pinned && !this.settled && !this.aborted) {
          this.aborted = true;
          this.onAbandoned?.();
          this.controller?.abort(signal.reason);
        }
      });
      this.promise.then(
        (value) => {
          leave();
          resolve(value);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }
}

/**
 * The shared task cached under `key`, or a new one started with `load` (and cached). A task that fails or is
 * abandoned leaves the cache, so the next request starts afresh. Returns the caller's view (`join(signal)`).
 */
export function sharedMemo<K, V>(cache: Lru<K, SharedTask<V>>, key: K, load: (signal: AbortSignal) => Promise<V>, signal?: AbortSignal): Promise<V> {
  const cached = cache.get(key);
  if (cached && !cached.abandoned) return cached.join(signal);
  const drop = () => {
    if (cache.get(key) === task) cache.delete(key);
  };
  const task: SharedTask<V> = new SharedTask(load, drop);
  cache.set(key, task);
  task.promise.catch(drop);
  return task.join(signal);
}
