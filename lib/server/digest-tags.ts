/**
 * Every tag of a repository resolved to its digest — the only way to know which tags point at a digest on a
 * registry (the distribution API has no "tags of a digest" query). Used by the delete plan (which must name every
 * tag a delete removes) and by the manifest page (which must not claim to know a digest's tags when it does not).
 *
 * A resolution either covers every tag or fails: a tag that cannot be read (other than one deleted meanwhile) makes
 * the whole answer an error, never a shorter list. The last complete resolution of each repository is remembered for
 * the source's tag cache time (`tagCacheSeconds`), process-wide.
 */
import 'server-only';
import { isRegistryError } from '@/lib/oci/errors';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { collect, compareByteOrder } from '@/lib/registry/iter';
import { Lru } from '@/lib/registry/lru';
import type { Source } from './sources';
import { listTagNames } from './tags-service';
import { isSettledTag } from './settled-tags';

export interface ResolveTagsOptions {
  /** Ask the registry for everything now, ignoring the tag cache (the re-check right before a delete). */
  fresh?: boolean;
  signal?: AbortSignal;
  /** Called after each tag is resolved, with the count so far and the number of tags. */
  onProgress?: (resolved: number, total: number) => void;
}

interface Resolution {
  at: number;
  digests: ReadonlyMap<string, Descriptor>;
}

interface RepoState {
  complete: Lru<string, Resolution>;
  running: Map<string, Promise<ReadonlyMap<string, Descriptor>>>;
}

const STATE_KEY = Symbol.for('porthole.digest-tags');

/** Per source object (a reloaded configuration makes new sources, and so starts afresh). */
function state(source: Source): RepoState {
  const holder = globalThis as { [STATE_KEY]?: WeakMap<Source, RepoState> };
  holder[STATE_KEY] ??= new WeakMap();
  let entry = holder[STATE_KEY].get(source);
  if (!entry) {
    entry = { complete: new Lru(2_000), running: new Map() };
    holder[STATE_KEY].set(source, entry);
  }
  return entry;
}

async function tagNames(source: Source, repo: string, options: ResolveTagsOptions): Promise<string[]> {
  try {
    if (!options.fresh) return await listTagNames(source, repo);
    const names = await source.pool.run(() => collect(source.registry.listTags(repo, options.signal ? { signal: options.signal } : {})));
    return [...new Set(names)].sort(compareByteOrder);
  } catch (error) {
    // A repository whose last tag went: distribution answers NAME_UNKNOWN or `tags: null`.
    if (isRegistryError(error, 'NAME_UNKNOWN')) return [];
    throw error;
  }
}

/**
 * Every tag of `repo` and the descriptor it points at now. Without `fresh`, digests the tags service resolved
 * within the tag cache time are reused. Throws NAME_INVALID, UNAUTHORIZED, UNAVAILABLE… (never a partial map).
 */
export async function resolveRepositoryTags(source: Source, repo: string, options: ResolveTagsOptions = {}): Promise<ReadonlyMap<string, Descriptor>> {
  const names = await tagNames(source, repo, options);
  const listing = options.fresh ? undefined : source.cache.freshListing(repo);
  const call = options.signal ? { signal: options.signal } : {};
  let resolved = 0;
  options.onProgress?.(0, names.length);
  const found = await Promise.all(
    names.map(async (name): Promise<[string, Descriptor] | undefined> => {
      let descriptor: Descriptor | undefined;
      const cached = listing?.resolved.get(name);
      if (cached && isSettledTag(cached)) descriptor = cached;
      else if (cached) descriptor = await cached.join(options.signal).then((r) => r.descriptor, () => undefined);
      if (!descriptor) {
        try {
          descriptor = await source.pool.run(() => source.registry.resolveTag(repo, name, call));
        } catch (error) {
          // Deleted between the listing and now: it points nowhere.
          if (!isRegistryError(error, 'MANIFEST_UNKNOWN')) throw error;
        }
      }
      options.onProgress?.(++resolved, names.length);
      return descriptor ? [name, descriptor] : undefined;
    }),
  );
  const digests = new Map(found.filter((entry): entry is [string, Descriptor] => entry !== undefined));
  const known = source.cache.repo(repo).lastKnown;
  for (const [name, descriptor] of digests) known.set(name, descriptor.digest);
  state(source).complete.set(repo, { at: Date.now(), digests });
  return digests;
}

/** The tags on `digest`, byte order, from a map made by {@link resolveRepositoryTags}. */
export function tagsPointingAt(map: ReadonlyMap<string, Descriptor>, digest: Digest): string[] {
  return [...map].filter(([, d]) => d.digest === digest).map(([name]) => name).sort(compareByteOrder);
}

/**
 * Every tag on `digest` when all the repository's tags were resolved within the tag cache time; undefined when
 * that is not known (then a background resolution is started, so that a later look knows).
 */
export function completeTagsOf(source: Source, repo: string, digest: Digest): string[] | undefined {
  const { complete, running } = state(source);
  const last = complete.get(repo);
  if (last && Date.now() - last.at < source.cache.tagCacheMs) return tagsPointingAt(last.digests, digest);
  if (!running.has(repo)) {
    const work = resolveRepositoryTags(source, repo).finally(() => running.delete(repo));
    work.catch(() => undefined);
    running.set(repo, work);
  }
  return undefined;
}

/** Forgets the remembered resolution of `repo` (after a delete: tags are gone). */
export function forgetRepositoryTags(source: Source, repo: string): void {
  state(source).complete.delete(repo);
}
