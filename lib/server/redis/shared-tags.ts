/**
 * Tag listings shared between replicas for the source's `tagCacheSeconds`: a repository's tag list and the
 * descriptor each tag pointed at, in one Redis hash `porthole:tags:<scope>:<repo>` (field `\0names` holds the
 * list, one field per tag its descriptor) that expires `tagCacheSeconds` after its last write. A replica that
 * opens a view another replica just showed asks the registry for nothing.
 *
 * Local first: the tags service keeps its own listing as before and asks here only when it has none. An
 * unavailable Redis is a miss (run.ts). Only http sources share (shared-scope.ts).
 */
import 'server-only';
import type { Redis } from 'ioredis';
import { isDigest } from '@/lib/oci/digest';
import type { Descriptor } from '@/lib/oci/types';
import type { Source } from '../sources';
import { tryRedis } from './run';
import { configuredRedis } from './shared';
import { sharedScope } from './shared-scope';

/** Prefix of every shared tag listing. */
export const TAGS_PREFIX = 'porthole:tags:';
/** The hash field of the tag list (a NUL cannot be part of a tag). */
const NAMES = '\0names';

/** Where a source's listing of `repo` is shared, with the client; undefined when it is not shared. */
async function place(source: Source, repo: string): Promise<{ client: Redis; key: string; ttlMs: number } | undefined> {
  const scope = sharedScope(source);
  if (scope === undefined || source.cache.tagCacheMs <= 0) return undefined;
  const client = await configuredRedis();
  return client ? { client, key: `${TAGS_PREFIX}${scope}:${repo}`, ttlMs: source.cache.tagCacheMs } : undefined;
}

async function write(source: Source, repo: string, field: string, value: string): Promise<void> {
  const at = await place(source, repo);
  if (!at) return;
  await tryRedis(at.client, (redis) => redis.multi().hset(at.key, field, value).pexpire(at.key, at.ttlMs).exec());
}

async function read(source: Source, repo: string, field: string): Promise<string | undefined> {
  const at = await place(source, repo);
  if (!at) return undefined;
  return (await tryRedis(at.client, (redis) => redis.hget(at.key, field))) ?? undefined;
}

/** The shared tag list of `repo`, when another replica (or this one) listed it within the tag cache time. */
export async function readSharedTagNames(source: Source, repo: string): Promise<string[] | undefined> {
  const text = await read(source, repo, NAMES);
  if (text === undefined) return undefined;
  try {
    const names = JSON.parse(text) as unknown;
    return Array.isArray(names) && names.every((name) => typeof name === 'string') ? (names as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Shares the tag list of `repo` (byte order). */
export function shareTagNames(source: Source, repo: string, names: readonly string[]): Promise<void> {
  return write(source, repo, NAMES, JSON.stringify(names));
}

/** The shared descriptor of `tag`, when it was resolved within the tag cache time. */
export async function readSharedTag(source: Source, repo: string, tag: string): Promise<Descriptor | undefined> {
  const text = await read(source, repo, tag);
  if (text === undefined) return undefined;
  try {
    const descriptor = JSON.parse(text) as Partial<Descriptor>;
    const valid = typeof descriptor.mediaType === 'string' && typeof descriptor.digest === 'string' && isDigest(descriptor.digest) && Number.isSafeInteger(descriptor.size);
    return valid ? (descriptor as Descriptor) : undefined;
  } catch {
    return undefined;
  }
}

/** Shares what `tag` points at. */
export function shareTag(source: Source, repo: string, tag: string, descriptor: Descriptor): Promise<void> {
  return write(source, repo, tag, JSON.stringify(descriptor));
}

/** Forgets the shared listing of `repo` (after a delete or a push). */
export async function forgetSharedTags(source: Source, repo: string): Promise<void> {
  const at = await place(source, repo);
  if (at) await tryRedis(at.client, (redis) => redis.del(at.key));
}

/**
 * The tag list of `repo` from the shared cache when `readShared` and present there, else from `fetch` (then
 * shared for the other replicas).
 */
export async function tagNamesThroughShared(source: Source, repo: string, readShared: boolean, fetch: () => Promise<string[]>): Promise<string[]> {
  const shared = readShared ? await readSharedTagNames(source, repo) : undefined;
  if (shared) return shared;
  const names = await fetch();
  void shareTagNames(source, repo, names).catch(() => undefined);
  return names;
}
