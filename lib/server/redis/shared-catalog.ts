/**
 * Kept catalogs shared between replicas (lib/server/catalog-keeper.ts): a source's repository list and when it
 * was read, as JSON under `porthole:catalog:<scope>`, and the lock `catalog:<scope>` (lock.ts) that lets one
 * replica at a time refresh it. The entry outlives the cache time ({@link SHARED_CATALOG_TTL_MS}): a stale
 * list is still answered at once while a refresh runs. Best effort like every shared layer: an unavailable
 * Redis is a miss and no lock, never an error (run.ts). Only http sources share (shared-scope.ts).
 */
import 'server-only';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KeptList, SharedCatalogStore } from '../catalog-keeper';
import type { Source } from '../sources';
import { tryLock } from './lock';
import { replicaIdentity } from './replica';
import { tryRedis } from './run';
import { configuredRedis } from './shared';
import { sharedScope } from './shared-scope';

/** Prefix of every shared catalog. */
export const CATALOG_PREFIX = 'porthole:catalog:';
/** How long a shared list lives without a refresh (a day): older lists are read from the registry again. */
export const SHARED_CATALOG_TTL_MS = 86_400_000;
/** A refresh lock's lifetime: a replica that dies while refreshing blocks the others at most this long. */
const REFRESH_LOCK_MS = 60_000;

function parse(text: string | null | undefined): KeptList | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<KeptList>;
    const valid = Array.isArray(value.names) && value.names.every((name) => typeof name === 'string') && Number.isSafeInteger(value.listedAt);
    return valid ? (value as KeptList) : undefined;
  } catch {
    return undefined;
  }
}

/** The shared store of `source`'s catalog, or undefined when it is not shared (no Redis, not an http source). */
export function sharedCatalogStore(source: Pick<Source, 'config'>, redis: () => Promise<Redis | undefined> = configuredRedis): SharedCatalogStore | undefined {
  const registry = sharedScope(source);
  if (registry === undefined) return undefined;
  // Two sources on one registry may show different repositories (include/exclude): each list is its own.
  const { include = [], exclude = [] } = source.config;
  const scope = `${registry}:${createHash('sha256').update(JSON.stringify([include, exclude])).digest('hex').slice(0, 16)}`;
  const key = `${CATALOG_PREFIX}${scope}`;
  const invalidatedKey = `${key}:invalidated`;
  return {
    read: async () => parse(await tryRedis(await redis(), (client) => client.get(key))),
    write: async (list) => void (await tryRedis(await redis(), (client) => client.set(key, JSON.stringify(list), 'PX', SHARED_CATALOG_TTL_MS))),
    // The stamp outlives any list it can invalidate (a shared list lives at most SHARED_CATALOG_TTL_MS).
    forget: async () =>
      void (await tryRedis(await redis(), (client) => client.multi().del(key).set(invalidatedKey, String(Date.now()), 'PX', SHARED_CATALOG_TTL_MS).exec())),
    invalidatedAt: async () => {
      const text = await tryRedis(await redis(), (client) => client.get(invalidatedKey));
      const at = text ? Number(text) : NaN;
      return Number.isSafeInteger(at) ? at : undefined;
    },
    lock: async () => {
      const client = await redis();
      if (!client) return async () => undefined;
      const acquired = await tryRedis(client, (c) => tryLock(c, `catalog:${scope}`, replicaIdentity(), REFRESH_LOCK_MS));
      // Redis unavailable: refresh locally (what a single replica does).
      if (acquired === undefined) return async () => undefined;
      if (!acquired.ok) return undefined;
      return async () => void (await acquired.lock.release().catch(() => false));
    },
  };
}
