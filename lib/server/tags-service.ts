/**
 * The tags of a repository with their details (digest, media type, size, created, platforms, shared tags,
 * attached artifacts), filtered, sorted and paged over the whole repository.
 *
 * Registry requests for a cold view: the tag list, one `getTag` per tag (a GET by tag gives bytes and
 * digest), then per unique digest its config blob or its platform children and their configs, all through
 * the source's pool and each at most once (see `details.ts`). The tag list and each tag's digest are reused
 * for `tagCacheSeconds` (default 15), so an immediate repeat view makes no registry request at all.
 *
 * Exported for other server code (the cleanup helper): {@link listTagRows}, {@link listTagNames},
 * {@link knownTagsOf}, {@link invalidateTags}; for the streamed answer (tags-stream.ts):
 * {@link currentListing} and {@link listingRows} (with a callback per tag read).
 */
import 'server-only';
import type { TagRow, TagsResponse } from '@/lib/api/types';
import { tagKind } from '@/lib/oci/artifact-kind';
import { RegistryError, type WireError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import type { ManifestContent } from '@/lib/registry/registry';
import { collect, compareByteOrder, mapConcurrent } from '@/lib/registry/iter';
import { attachedByDigest } from './attached-counts';
import type { TagListing, TagResolution } from './cache';
import { invalidateCatalog } from './catalog-service';
import { detailsByDigest, detailsFromContent, type ManifestDetails } from './details';
import { shapeBareTagRow } from '@/lib/api/bare-tag-row';
import { shapeTagRow, type TagRowInput } from './shape';
import { forgetSharedTags, readSharedTag, shareTag, tagNamesThroughShared } from './redis/shared-tags';
import { getSource, type Source } from './sources';
import { SharedTask } from './shared-task';
import { DescriptorInterner, isSettledTag, type SettledTag } from './settled-tags';
import { pageRows } from './tag-sort';
import { RESOLVE_WINDOW } from './windowed';
import type { Sort } from './validate';

export interface TagsQuery {
  /** Page size (1..1000). */
  n: number;
  /** Tag after which the page starts (in the requested order). */
  last?: string;
  /** The `q` filter of the tags page (`lib/text/query.ts`): words, `*`, digests. */
  q?: string;
  sort: Sort;
  /** False: names and kinds only, no registry request beyond the tag list. */
  details: boolean;
}

function wire(error: unknown): WireError {
  return error instanceof RegistryError ? error.toWire() : { code: 'UNKNOWN', message: 'internal error' };
}

/** The repository's listing: the fresh cached one, or a new one (whose tag list is requested once). */
export function currentListing(source: Source, repo: string): TagListing {
  const fresh = source.cache.freshListing(repo);
  if (fresh && !fresh.names.abandoned) return fresh;
  const entry = source.cache.repo(repo);
  const readShared = !entry.bypassShared;
  delete entry.bypassShared;
  const fetchNames = (signal: AbortSignal) =>
    source.pool
      .run(() => collect(source.registry.listTags(repo, { signal })), signal)
      // Registries need not sort (distribution 2.8.2 returns directory order): byte order here.
      .then((tags) => [...new Set(tags)].sort(compareByteOrder));
  const names = new SharedTask(
    (signal) =>
      tagNamesThroughShared(source, repo, readShared, () => fetchNames(signal))
        .then((sorted) => {
          // Tags that are gone no longer point anywhere.
          const present = new Set(sorted);
          for (const tag of entry.lastKnown.keys()) if (!present.has(tag)) entry.lastKnown.delete(tag);
          return sorted;
        }),
    () => {
      if (entry.listing === listing) delete entry.listing;
    },
  );
  const listing: TagListing = { updatedAt: Date.now(), pending: 0, names, resolved: new Map(), descriptors: new DescriptorInterner(), readShared };
  source.cache.track(listing, names.promise);
  entry.listing = listing;
  names.promise.catch(() => {
    if (entry.listing === listing) delete entry.listing;
  });
  return listing;
}

/** The resolution of a settled tag: its details come from the details cache by digest. */
function settledResolution(source: Source, repo: string, settled: SettledTag): TagResolution {
  return { descriptor: settled, details: (viewSignal?: AbortSignal) => detailsByDigest(source, repo, settled.digest, 0, viewSignal) };
}

/**
 * One tag's manifest (a single getTag) and its details; shared by concurrent views while the listing is fresh,
 * and cancelled only when every view waiting for it has gone. Once its details were computed, the listing keeps
 * only the tag's interned descriptor (settled-tags.ts).
 */
function resolveTag(source: Source, repo: string, listing: TagListing, tag: string, signal?: AbortSignal): Promise<TagResolution> {
  const cached = listing.resolved.get(tag);
  if (cached && isSettledTag(cached)) return Promise.resolve(settledResolution(source, repo, cached));
  if (cached && !cached.abandoned) return cached.join(signal);
  const drop = () => {
    if (listing.resolved.get(tag) === task) listing.resolved.delete(tag);
  };
  // The task's entry gives way to the descriptor alone once details were computed (with or without an error
  // in them: those are retried by digest, as before).
  const settle = (descriptor: SettledTag) => {
    if (listing.resolved.get(tag) === task) listing.resolved.set(tag, descriptor);
  };
  const task: SharedTask<TagResolution> = new SharedTask(async (shared) => {
    // Resolved by another replica within the tag cache time: its details come by digest (content cache).
    const fromReplica = listing.readShared ? await readSharedTag(source, repo, tag) : undefined;
    if (fromReplica) {
      const known = listing.descriptors.intern(fromReplica);
      source.cache.repo(repo).lastKnown.set(tag, known.digest);
      return {
        descriptor: known,
        details: async (viewSignal?: AbortSignal) => {
          const details = await detailsByDigest(source, repo, known.digest, 0, viewSignal);
          settle(known);
          return details;
        },
      };
    }
    const content = await source.pool.run(() => source.registry.getTag(repo, tag, { signal: shared }), shared);
    void shareTag(source, repo, tag, content.descriptor).catch(() => undefined);
    const descriptor = listing.descriptors.intern(content.descriptor);
    source.cache.repo(repo).lastKnown.set(tag, descriptor.digest);
    // Each view joins the details (a shared task of their own) with its own signal. The manifest bytes are
    // kept only until details were computed once (a listing may hold 100 000 tags).
    let held: ManifestContent | undefined = content;
    return {
      descriptor,
      details: async (viewSignal?: AbortSignal) => {
        const details = held ? await detailsFromContent(source, repo, held, viewSignal) : await detailsByDigest(source, repo, descriptor.digest, 0, viewSignal);
        held = undefined;
        settle(descriptor);
        return details;
      },
    };
  }, drop);
  source.cache.track(listing, task.promise);
  listing.resolved.set(tag, task);
  task.promise.catch(drop);
  return task.join(signal);
}

/** One tag as a view resolved it: digest and details, or the error that stopped it. */
export interface Resolved {
  name: string;
  descriptor?: TagResolution['descriptor'];
  details?: ManifestDetails;
  error?: WireError;
}

/** One tag's descriptor and details (shared with concurrent views); a failure is returned as `error`, never thrown. */
async function resolveTagDetails(source: Source, repo: string, listing: TagListing, name: string, signal?: AbortSignal): Promise<Resolved> {
  try {
    const resolution = await resolveTag(source, repo, listing, name, signal);
    try {
      return { name, descriptor: resolution.descriptor, details: await source.cache.track(listing, resolution.details(signal)) };
    } catch (error) {
      return { name, descriptor: resolution.descriptor, error: wire(error) };
    }
  } catch (error) {
    return { name, error: wire(error) };
  }
}

async function resolveAll(
  source: Source,
  repo: string,
  listing: TagListing,
  names: readonly string[],
  signal?: AbortSignal,
  onResolved?: (tag: Resolved) => Promise<void>,
): Promise<Resolved[]> {
  // A bounded window of tags at once, not all of them (see windowed.ts): same requests, bounded memory. A view
  // whose client left rejects with its signal's reason and gets no rows built from the errors its abort caused.
  return mapConcurrent(
    names,
    RESOLVE_WINDOW,
    async (name) => {
      const tag = await resolveTagDetails(source, repo, listing, name, signal);
      if (onResolved && !signal?.aborted) await onResolved(tag);
      return tag;
    },
    signal,
  );
}

/**
 * A tag's row from what was read of it, with what only the whole listing knows (`listed`: the other tags on its
 * digest, attached referrers and index attestations). The one place both the paged rows and the streamed
 * answer's early rows are built.
 */
export function tagRowOf(r: Resolved, listed: Pick<TagRowInput, 'sharedWith' | 'attached' | 'indexAttestations'>): TagRow {
  return shapeTagRow({
    name: r.name,
    info: tagKind(r.name),
    ...(r.descriptor ? { descriptor: r.descriptor } : {}),
    ...(r.details ? { details: r.details } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...listed,
  });
}

/** Builds rows with shared tags, attached referrers (each manifest once) and index attestations. */
function detailedRows(resolved: readonly Resolved[]): TagRow[] {
  const byDigest = new Map<Digest, string[]>();
  for (const r of resolved) {
    if (r.descriptor) byDigest.set(r.descriptor.digest, [...(byDigest.get(r.descriptor.digest) ?? []), r.name]);
  }
  const { referrers, indexAttestations } = attachedByDigest(resolved);
  return resolved.map((r) => {
    const digest = r.descriptor?.digest;
    return tagRowOf(r, {
      sharedWith: digest ? (byDigest.get(digest) ?? []).filter((name) => name !== r.name) : [],
      ...(digest && referrers.has(digest) ? { attached: referrers.get(digest)! } : {}),
      ...(digest && indexAttestations.has(digest) ? { indexAttestations: indexAttestations.get(digest)! } : {}),
    });
  });
}

/**
 * Every tag's row, from the listing's memo when an earlier page of this listing built them all without an
 * error (rows are pure functions of the listing's tags and content-addressed details); rows with an error are
 * not kept, so that the next page retries them as before. `onResolved` sees each tag as it is read (the
 * streamed answer); the work waits for it. Not called when the rows come from the memo.
 */
export async function listingRows(
  source: Source,
  repo: string,
  listing: TagListing,
  names: readonly string[],
  signal?: AbortSignal,
  onResolved?: (tag: Resolved) => Promise<void>,
): Promise<readonly TagRow[]> {
  if (listing.rows?.names === names) return listing.rows.rows;
  const resolved = await resolveAll(source, repo, listing, names, signal, onResolved);
  const rows = detailedRows(resolved);
  keepListingRows(listing, names, resolved, rows);
  return rows;
}

/** Memoises a listing's rows for the next page or stream, unless one of them failed (those are retried). */
function keepListingRows(listing: TagListing, names: readonly string[], resolved: readonly Resolved[], rows: readonly TagRow[]): void {
  if (resolved.every((r) => !r.error && !r.details?.error)) listing.rows = { names, rows };
}

/** Every tag of the repository, byte order (the cached list while fresh). Throws NAME_UNKNOWN etc. */
export async function listTagNames(source: Source | string, repo: string, signal?: AbortSignal): Promise<string[]> {
  const s = typeof source === 'string' ? await getSource(source) : source;
  return currentListing(s, repo).names.join(signal);
}

/**
 * Every tag of the repository as a row with details (digest, size, created, platforms, sharedWith,
 * attached…), in byte order of names. Rows whose tag could not be read carry `error`. For the cleanup helper
 * (created dates, digests) and the tags API. Throws NAME_INVALID, NAME_UNKNOWN, UNAUTHORIZED, UNAVAILABLE…
 */
export async function listTagRows(source: Source | string, repo: string, signal?: AbortSignal): Promise<TagRow[]> {
  const s = typeof source === 'string' ? await getSource(source) : source;
  const listing = currentListing(s, repo);
  const names = await listing.names.join(signal);
  return detailedRows(await resolveAll(s, repo, listing, names, signal));
}

/** One page of the tags API. `signal`: the request's; registry work nobody else waits for stops with it. */
export async function getTagsPage(source: Source, repo: string, query: TagsQuery, signal?: AbortSignal): Promise<TagsResponse> {
  const listing = currentListing(source, repo);
  const names = await listing.names.join(signal);
  const rows = query.details
    ? await listingRows(source, repo, listing, names, signal)
    : names.map((name) => shapeBareTagRow(name, tagKind(name)));
  const page = pageRows(rows, query);
  return { tags: page.items, next: page.next, total: page.total };
}

/** Tags last seen pointing at `digest` (from earlier views), without asking the registry. */
export function knownTagsOf(source: Source, repo: string, digest: Digest): string[] {
  const entry = source.cache.peekRepo(repo);
  if (!entry) return [];
  return [...entry.lastKnown].filter(([, d]) => d === digest).map(([tag]) => tag).sort(compareByteOrder);
}

/** The last known digest of each tag (from earlier views). */
export function knownDigests(source: Source, repo: string): ReadonlyMap<string, Digest> {
  return source.cache.peekRepo(repo)?.lastKnown ?? new Map();
}

/** Forgets the repository's cached tag list (after a delete), and the given tags' last known digests. */
export function invalidateTags(source: Source, repo: string, removedTags: readonly string[] = []): void {
  source.cache.invalidateRepo(repo, removedTags);
  // The listing other replicas shared is as stale: the next listing here asks the registry, and theirs will too.
  source.cache.repo(repo).bypassShared = true;
  void forgetSharedTags(source, repo).catch(() => undefined);
  // A push may have made the repository, a delete may have emptied it: the kept catalog is read again.
  invalidateCatalog(source);
}
