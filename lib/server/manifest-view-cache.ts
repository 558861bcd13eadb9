/**
 * Manifest views by digest, per repository. A manifest's bytes, parsed document and config summary are
 * immutable, but whether the children of an index are present is not (a platform manifest can be deleted):
 * so a whole view is reused for `tagCacheSeconds` — a repeat view within that time makes no registry request,
 * the presence of its children included — and rebuilt after it, re-checking that presence (issue 11 item 5).
 * A view being built is shared by concurrent requests and cancelled only when all of them have gone.
 * Deletes drop a repository's views (`SourceCache.invalidateRepo`).
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { Lru } from '@/lib/registry/lru';
import type { ManifestInput } from './shape';
import { SharedTask } from './shared-task';

/** Views kept per repository (an index's children are viewed one by one; a few hundred is plenty). */
const VIEWS_PER_REPOSITORY = 500;

/** A view without its tags (those come from the tag cache on every request). */
export type ManifestView = Omit<ManifestInput, 'tags'>;

/** What the view cache needs of a source (narrow, so that this module does not depend on `sources.ts`). */
export interface ViewSource {
  cache: { repo(repo: string): { views?: Lru<Digest, ManifestViewEntry> }; readonly tagCacheMs: number };
}

export interface ManifestViewEntry {
  task: SharedTask<ManifestView>;
}

/** True while a view may be reused: in flight, or built less than the tag cache time ago. */
function fresh(entry: ManifestViewEntry, tagCacheMs: number, now: number): boolean {
  if (entry.task.abandoned) return false;
  const at = entry.task.settledAt;
  return at === undefined || now - at < tagCacheMs;
}

/** The view of `digest` in `repo`: the fresh cached one, or a new one built by `build` (and cached). */
export function manifestView(
  source: ViewSource,
  repo: string,
  digest: Digest,
  build: (signal: AbortSignal) => Promise<ManifestView>,
  signal?: AbortSignal,
): Promise<ManifestView> {
  const repoCache = source.cache.repo(repo);
  const views = (repoCache.views ??= new Lru<Digest, ManifestViewEntry>(VIEWS_PER_REPOSITORY));
  const cached = views.get(digest);
  if (cached && fresh(cached, source.cache.tagCacheMs, Date.now())) return cached.task.join(signal);
  const drop = () => {
    if (views.get(digest) === entry) views.delete(digest);
  };
  const entry: ManifestViewEntry = { task: new SharedTask(build, drop) };
  entry.task.promise.catch(drop);
  views.set(digest, entry);
  return entry.task.join(signal);
}
