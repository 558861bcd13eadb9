/**
 * When Porthole last saw that a manifest exists, per source. Content by digest never changes, but whether it is
 * still there does (a manifest deleted by another tool, or by Porthole, leaves the indexes listing it broken), so
 * an index's children are checked again once the source's tag cache time (`tagCacheSeconds`) has passed, and at
 * once after Porthole deleted them.
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { Lru } from './lru';
import type { Source } from './sources';

const KEY = Symbol.for('porthole.presence');
const ENTRIES = 50_000;

function seenAt(source: Source): Lru<Digest, number> {
  const holder = globalThis as { [KEY]?: WeakMap<Source, Lru<Digest, number>> };
  holder[KEY] ??= new WeakMap();
  let map = holder[KEY].get(source);
  if (!map) {
    map = new Lru(ENTRIES);
    holder[KEY].set(source, map);
  }
  return map;
}

/** True when `digest` was seen to exist within the tag cache time. */
export function recentlySeen(source: Source, digest: Digest, now = Date.now()): boolean {
  const at = seenAt(source).get(digest);
  return at !== undefined && now - at < source.cache.tagCacheMs;
}

export function markSeen(source: Source, digest: Digest): void {
  seenAt(source).set(digest, Date.now());
}

/** After a delete: these are gone (their cached details no longer prove that they exist either). */
export function forgetSeen(source: Source, digests: readonly Digest[]): void {
  const map = seenAt(source);
  for (const digest of digests) {
    map.delete(digest);
    source.cache.details.delete(`m:${digest}`);
  }
}
