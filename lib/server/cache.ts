/**
 * What Porthole remembers per source:
 * - details by digest (manifest summaries, image config summaries): content-addressed, so they never go stale;
 *   memory is bounded by an LRU of {@link DETAILS_CACHE_ENTRIES} entries. Shared tasks are cached, so concurrent
 *   requests for one digest share one registry request, cancelled only when all of them have gone.
 * - per repository, the tag list and each tag's digest, reused for `tagCacheSeconds` (tags move), plus the last
 *   known tag → digest mapping (kept past that time, used to find the other tags of a digest after a delete),
 *   and the manifest views by digest (content immutable, but the presence of an index's children is not, so
 *   they are reused for `tagCacheSeconds` too).
 */
import 'server-only';
import type { TagRow } from '@/lib/api/types';
import type { Descriptor, Digest } from '@/lib/oci/types';
import type { DetailsCache, ManifestDetails } from './details';
import { Lru } from '@/lib/registry/lru';
import type { ManifestViewEntry } from './manifest-view-cache';
import type { SharedTask } from './shared-task';
import type { DescriptorInterner, TagEntry } from './settled-tags';

export const DETAILS_CACHE_ENTRIES = 50_000;
const REPOSITORIES_CACHED = 2_000;

/**
 * One listing of a repository's tags. It stays fresh while tags or their details are still being read and for
 * `tagCacheSeconds` after the last answer arrived: counted from the start, a listing that takes longer than the
 * cache time (a slow registry, a big repository) would expire before the view asking for it has its second page.
 */
export interface TagListing {
  /** When the tag list or a tag's manifest last arrived. */
  updatedAt: number;
  /** Tag list, tag manifests and their details (configs, index children) still being fetched. */
  pending: number;
  /** Every tag, byte order (shared by the views reading this listing; see shared-task.ts). */
  names: SharedTask<string[]>;
  /**
   * Each tag's manifest (one getTag) and its details, started on demand; failed or abandoned reads are dropped.
   * Once a tag's details were computed, its entry is only its interned descriptor (settled-tags.ts).
   */
  resolved: Map<string, TagEntry<TagResolution>>;
  /** One descriptor per digest and one string per media type for the settled tags of this listing. */
  descriptors: DescriptorInterner;
  /** May take the tag list and tags from the listing other replicas shared through Redis (lib/server/redis/shared-tags.ts). */
  readShared?: boolean;
  /**
   * Every tag's row once all of them were read without an error (tags-service.ts): the pages of one view
   * reuse them instead of building 20,000 rows again for each page of 1,000.
   */
  rows?: { names: readonly string[]; rows: readonly TagRow[] };
}

export interface TagResolution {
  descriptor: Descriptor;
  /** Joins the manifest's details (a shared task in the details cache) on behalf of a request. */
  details: (signal?: AbortSignal) => Promise<ManifestDetails>;
}

export interface RepoCache {
  listing?: TagListing;
  /** Last known digest of each tag (survives the listing's freshness; updated by every resolution). */
  lastKnown: Map<string, Digest>;
  /** Manifest views by digest, reused for `tagCacheSeconds` (see manifest-view-cache.ts). */
  views?: Lru<Digest, ManifestViewEntry>;
  /** After an invalidation: the next listing asks the registry, not the listing shared through Redis. */
  bypassShared?: boolean;
}

export class SourceCache {
  readonly details: DetailsCache = new Lru<string, SharedTask<unknown>>(DETAILS_CACHE_ENTRIES);
  private readonly repos = new Lru<string, RepoCache>(REPOSITORIES_CACHED);

  constructor(readonly tagCacheMs: number) {}

  repo(repo: string): RepoCache {
    let entry = this.repos.get(repo);
    if (!entry) {
      entry = { lastKnown: new Map() };
      this.repos.set(repo, entry);
    }
    return entry;
  }

  /** Peeks at a repository's cache without creating it. */
  peekRepo(repo: string): RepoCache | undefined {
    return this.repos.has(repo) ? this.repo(repo) : undefined;
  }

  /** The repository's listing when still fresh. */
  freshListing(repo: string, now = Date.now()): TagListing | undefined {
    const listing = this.peekRepo(repo)?.listing;
    if (listing && (listing.pending > 0 || now - listing.updatedAt < this.tagCacheMs)) return listing;
    return undefined;
  }

  /** Counts a fetch for the listing's freshness: it stays fresh while the fetch runs and from when it ends. */
  track<T>(listing: TagListing, work: Promise<T>): Promise<T> {
    listing.pending += 1;
    const settle = () => {
      listing.pending -= 1;
      listing.updatedAt = Date.now();
    };
    work.then(settle, settle);
    return work;
  }

  /** Drops the listing and the manifest views (after a delete or push), keeping the last known mapping minus `removedTags`. */
  invalidateRepo(repo: string, removedTags: readonly string[] = []): void {
    const entry = this.peekRepo(repo);
    if (!entry) return;
    delete entry.listing;
    delete entry.views;
    for (const tag of removedTags) entry.lastKnown.delete(tag);
  }
}
