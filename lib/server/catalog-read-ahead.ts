/**
 * The catalog read ahead for a client paging through it (`GET /api/sources/{source}/repositories?n&last`).
 *
 * A registry pages its catalog one request after another (each page starts after the previous page's final
 * name), so paging through 5,000 repositories is five registry round trips end to end, and a client of the API
 * adds to each its own request and the API's answer. Once a client asks for a page after the first, it is paging
 * through: the page after the one it gets is read from the registry at once, while the answer travels, and kept
 * for the request that asks for it — used once, and only within {@link READ_AHEAD_MS} of when its read started.
 * A first page never reads ahead (a dashboard polling the first page costs one registry page per poll, as
 * before), nor does a filtered page (`q`). A change made through Porthole drops what was read ahead
 * (`invalidateCatalog`).
 *
 * Per source object (a configuration reload makes new ones), on `globalThis`: Next.js bundles server code into
 * several chunks.
 */
import 'server-only';
import type { RepositoriesResponse } from '@/lib/api/types';

/** How long a page read ahead may be given out after its registry read started (ms). */
export const READ_AHEAD_MS = 10_000;
/** Pages kept per source at most (clients paging at once); the oldest goes first. */
const MAX_PAGES = 16;

interface Ahead {
  page: Promise<RepositoriesResponse>;
  /** When its read started (`Date.now()` clock). */
  at: number;
}

type Pages = Map<string, Ahead>;

const KEY = Symbol.for('porthole.server.catalog-read-ahead');

function pagesOf(source: object): Pages {
  const root = globalThis as Record<symbol, unknown>;
  const bySource = (root[KEY] ??= new WeakMap<object, Pages>()) as WeakMap<object, Pages>;
  let pages = bySource.get(source);
  if (!pages) {
    pages = new Map();
    bySource.set(source, pages);
  }
  return pages;
}

/** A page size and a name cannot share a line break: no two requests share a key. */
const keyOf = (n: number, last: string) => `${n}\n${last}`;

/** The page of `n` after `last` read ahead for this source, if one is kept and fresh; given out once. */
export function takeReadAhead(source: object, n: number, last: string, now = Date.now()): Promise<RepositoriesResponse> | undefined {
  const pages = pagesOf(source);
  const key = keyOf(n, last);
  const ahead = pages.get(key);
  if (!ahead) return undefined;
  pages.delete(key);
  return now - ahead.at < READ_AHEAD_MS ? ahead.page : undefined;
}

/** Starts `read` of the page of `n` after `last` and keeps it for the request that asks for it. */
export function readAhead(source: object, n: number, last: string, read: () => Promise<RepositoriesResponse>, now = Date.now()): void {
  const pages = pagesOf(source);
  for (const [key, ahead] of pages) if (now - ahead.at >= READ_AHEAD_MS) pages.delete(key);
  const key = keyOf(n, last);
  if (pages.has(key)) return;
  if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value!);
  const page = read();
  // A failed read ahead is only a miss: the request that would have used it reads the page itself.
  page.catch(() => undefined);
  pages.set(key, { page, at: now });
}

/** Drops every page read ahead for `source`. */
export function forgetReadAhead(source: object): void {
  pagesOf(source).clear();
}
