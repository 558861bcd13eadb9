/**
 * The process-wide content store (on `globalThis`: Next.js bundles server code into several chunks): content
 * addressed by digest — manifests, image configs, layer tables of contents — kept in memory and under the data
 * directory, in front of every http source's registry (`cachedContent`) and of the layer indexes (`lib/layers`).
 *
 * - {@link contentTiers} is the one place that says which tiers there are, fastest first: add a tier there.
 * - {@link onContentEvent} sees every tier's hit, miss, corrupt entry and failure: the one place to hook metrics.
 * - {@link contentStore} returns the store, built again when the settings it was built from change (tests that
 *   point `PORTHOLE_DATA_DIR` elsewhere); `lib/server/sources.ts` builds it from the configuration.
 */
import 'server-only';
import { join } from 'node:path';
import { tieredStore, type ContentStore, type TierEvent } from '@/lib/registry/cache/content-store';
import { verifyContent } from '@/lib/registry/cache/verify';
import { dataDir, DEFAULT_CACHE_MAX_BYTES, type PortholeConfig } from '../config';
import { recordCacheEvent } from '../metrics';
import { redisContentTier } from '../redis/content-tier';
import { lastServerActivityAt } from '../server-activity';
import { diskTier, flushHeldWritesSync } from './disk-tier';
import { memoryTier } from './memory-tier';

/** Bound of the memory tier. The details of each digest are also kept per source (`cache.ts`). */
export const MEMORY_TIER_BYTES = 64 * 1024 * 1024;

/** The settings the store depends on. */
export type ContentCacheSettings = Pick<PortholeConfig, 'cacheMaxBytes' | 'cache'>;

/** The directory of the disk tier: `<data dir>/cache`. */
export function contentCacheDir(): string {
  return join(dataDir(), 'cache');
}

/**
 * The tiers of the content store for `config`, fastest first: memory, then disk (unless `cacheMaxBytes: 0`),
 * then the Redis/Valkey shared by the replicas (when `cache.redis` is set).
 */
export function contentTiers(config: ContentCacheSettings): ContentStore[] {
  const maxBytes = config.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  const tiers: ContentStore[] = [memoryTier(MEMORY_TIER_BYTES)];
  if (maxBytes > 0) {
    const onWriteError = (error: unknown) => onContentEvent({ tier: 'disk', outcome: 'error', error });
    tiers.push(diskTier({ root: contentCacheDir(), maxBytes, onWriteError, activeAt: lastServerActivityAt }));
  }
  tiers.push(...redisContentTier(config));
  return tiers;
}

/** Every tier event of the content store goes through here (counted in the metrics); failures are logged. */
export function onContentEvent(event: TierEvent): void {
  recordCacheEvent(event);
  if (event.outcome === 'error') console.warn(`[porthole] content cache (${event.tier}): ${String(event.error)}`);
  else if (event.outcome === 'corrupt') console.warn(`[porthole] content cache (${event.tier}): dropped an entry that failed verification`);
}

interface Holder {
  store?: ContentStore;
  /** The settings `store` was built from. */
  built?: string;
}

const KEY = Symbol.for('porthole.server.content-cache');
const holder: Holder = ((globalThis as Record<symbol, unknown>)[KEY] as Holder | undefined) ?? {};
(globalThis as Record<symbol, unknown>)[KEY] = holder;

/**
 * The content store for `config` (default settings when none is given and none was built yet). The same store
 * is returned while the data directory, `cacheMaxBytes` and `cache.redis` stay the same.
 */
export function contentStore(config?: ContentCacheSettings): ContentStore {
  const settings = config ?? (holder.store ? undefined : {});
  if (!settings) return holder.store!;
  const built = JSON.stringify([contentCacheDir(), settings.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES, settings.cache?.redis ?? null]);
  if (!holder.store || holder.built !== built) {
    // The new disk tier reads its index from the files: the old one's held writes must be there first.
    flushHeldWritesSync();
    holder.store = tieredStore(contentTiers(settings), { verify: verifyContent, onEvent: onContentEvent });
    holder.built = built;
  }
  return holder.store;
}
