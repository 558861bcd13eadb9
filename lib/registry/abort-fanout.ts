/**
 * Abort callbacks through one listener per signal. A request's signal is joined by many waiters at once (a
 * tags view joins one shared task per tag, queues one pool waiter per tag, its window's
 * workers one each): one `addEventListener` each would put hundreds of listeners on one signal, and Node warns
 * ("MaxListenersExceededWarning: Possible EventTarget memory leak detected") past ten. Here every signal carries
 * at most one listener, which calls the callbacks subscribed at the time it fires, in subscription order; the
 * listener is removed as soon as the last callback unsubscribes, so a long-lived signal keeps nothing of
 * work that has settled.
 * Pure (no Node imports), like the limiter that uses it.
 */

interface Subscribers {
  readonly listener: () => void;
  readonly callbacks: Set<{ readonly callback: () => void }>;
}

/**
 * Per signal, its one listener and callbacks. Process-wide (Next.js bundles server code into several chunks, and
 * a table per chunk would mean a listener per chunk), weak so that a signal nobody holds is collected with it.
 */
function table(): WeakMap<AbortSignal, Subscribers> {
  const key = Symbol.for('porthole.abortFanout');
  const scope = globalThis as { [key]?: WeakMap<AbortSignal, Subscribers> };
  return (scope[key] ??= new WeakMap());
}

/** Removes a callback subscribed by {@link onAbort}; calling it more than once (or after the abort) is harmless. */
export type Unsubscribe = () => void;

/**
 * Calls `callback` once when `signal` aborts, as `addEventListener('abort', callback, { once: true })` would
 * (so never for a signal that has already aborted: callers check `signal.aborted` first), but through the
 * signal's one shared listener. Unsubscribe when the wait ends.
 */
export function onAbort(signal: AbortSignal, callback: () => void): Unsubscribe {
  if (signal.aborted) return () => undefined;
  const subscribers = table();
  let entry = subscribers.get(signal);
  if (!entry) {
    const callbacks = new Set<{ readonly callback: () => void }>();
    const listener = () => {
      subscribers.delete(signal);
      for (const subscription of callbacks) {
        try {
          subscription.callback();
        } catch (error) {
          // As a throwing event listener would: reported, and the other callbacks still run.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      callbacks.clear();
    };
    entry = { listener, callbacks };
    subscribers.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  const current = entry;
  // An object per subscription: the same function subscribed twice is called twice, like two listeners.
  const subscription = { callback };
  current.callbacks.add(subscription);
  return () => {
    if (!current.callbacks.delete(subscription) || current.callbacks.size > 0) return;
    signal.removeEventListener('abort', current.listener);
    if (subscribers.get(signal) === current) subscribers.delete(signal);
  };
}

/** Waits for `promise`, or rejects with the signal's reason as soon as `signal` aborts (the work goes on). */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = onAbort(signal, () => reject(signal.reason));
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}
