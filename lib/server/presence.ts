/**
 * When Porthole last saw that a manifest exists, per source and repository: a digest is present in a repository,
 * not in a source (a registry keeps a link per repository), so a manifest seen in one repository proves nothing
 * about another — and must not show there, where it could tell someone browsing one repository what another holds.
 * Content by digest never changes, but whether it is still there does (a manifest deleted by another tool, or by
 * Porthole, leaves the indexes listing it broken), so an index's children are checked again once the source's tag
 * cache time (`tagCacheSeconds`) has passed, and at once after Porthole deleted them.
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { Lru } from '@/lib/registry/lru';

const KEY = Symbol.for('porthole.presence');
const ENTRIES = 50_000;

/** What presence needs of a source: its identity (the key) and its tag cache time. */
export interface PresenceSource {
  cache: { readonly tagCacheMs: number };
}

/** `repo@digest`: a repository name cannot contain `@`, so no two pairs share a key. */
function keyOf(repo: string, digest: Digest): string {
  return `${repo}@${digest}`;
}

function seenAt(source: PresenceSource): Lru<string, number> {
  const holder = globalThis as { [KEY]?: WeakMap<PresenceSource, Lru<string, number>> };
  holder[KEY] ??= new WeakMap();
  let map = holder[KEY].get(source);
  if (!map) {
    map = new Lru(ENTRIES);
    holder[KEY].set(source, map);
  }
  return map;
}

/** True when `digest` was seen to exist in `repo` within the tag cache time. */
export function recentlySeen(source: PresenceSource, repo: string, digest: Digest, now = Date.now()): boolean {
  const at = seenAt(source).get(keyOf(repo, digest));
  return at !== undefined && now - at < source.cache.tagCacheMs;
}

/** Records that the registry just gave `digest` in `repo`. */
export function markSeen(source: PresenceSource, repo: string, digest: Digest, now = Date.now()): void {
  seenAt(source).set(keyOf(repo, digest), now);
}

/** After a delete in `repo`: these are gone from it (other repositories may still hold them). */
export function forgetSeen(source: PresenceSource, repo: string, digests: readonly Digest[]): void {
  const map = seenAt(source);
  for (const digest of digests) map.delete(keyOf(repo, digest));
}
