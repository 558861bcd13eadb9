/**
 * Who is reading a tag listing's details right now, so that the page's warm-up (started while the page renders,
 * before the browser's stream exists) can let go once nobody else needs its reads: it keeps them going while a
 * stream of the listing runs, and stops them when the last one ends or goes away (a page that was left).
 * Process-wide (`globalThis`): the page and the route handler are bundled into different chunks.
 */
import 'server-only';

interface Viewers {
  count: number;
  idle: Set<() => void>;
}

const KEY = Symbol.for('porthole.listingViewers');

function table(): WeakMap<object, Viewers> {
  const holder = globalThis as unknown as Record<symbol, WeakMap<object, Viewers> | undefined>;
  return (holder[KEY] ??= new WeakMap());
}

function viewersOf(listing: object): Viewers {
  let viewers = table().get(listing);
  if (!viewers) table().set(listing, (viewers = { count: 0, idle: new Set() }));
  return viewers;
}

/** Marks a stream of `listing` as running; call the returned function once when it ends (once only). */
export function holdListing(listing: object): () => void {
  const viewers = viewersOf(listing);
  viewers.count++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    viewers.count--;
    if (viewers.count === 0) for (const callback of [...viewers.idle]) callback();
  };
}

/**
 * A signal that aborts after `graceMs` once no stream of `listing` runs: at once then if none does, else when the
 * last one ends.
 */
export function abortWhenUnwatched(listing: object, graceMs: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    const viewers = viewersOf(listing);
    if (viewers.count === 0) return controller.abort();
    const onIdle = () => {
      viewers.idle.delete(onIdle);
      controller.abort();
    };
    viewers.idle.add(onIdle);
  }, graceMs);
  timer.unref?.();
  return controller.signal;
}
