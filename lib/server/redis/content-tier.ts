/**
 * The shared tier of the content cache: digest-addressed bytes (manifests, configs, referrers indexes, layer
 * tables of contents) in Redis/Valkey under `porthole:content:<key>`, so that a replica reads what another one
 * fetched. Behind the memory and disk tiers (lib/server/content-cache): `tiers = [memory, disk,
 * ...redisContentTier(config)]`.
 *
 * Entries expire after {@link CONTENT_TTL_SECONDS} unread-or-not (content never changes, the TTL only bounds
 * what an idle deployment keeps); operators bound memory with `maxmemory` and an LRU policy
 * (docs/operations.md). An unavailable or slow Redis is a miss, never an error: see `run.ts`.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import type { ContentStore } from '@/lib/registry/cache/content-store';
import type { PortholeConfig } from '../config';
import { sharedRedis } from './client';
import { tryRedis } from './run';

/** Prefix of every content key. */
export const CONTENT_PREFIX = 'porthole:content:';
/** How long an entry is kept after it was written (30 days). */
export const CONTENT_TTL_SECONDS = 30 * 24 * 3600;
/** Larger entries are not shared (a huge table of contents would crowd out thousands of manifests). */
export const MAX_SHARED_ENTRY_BYTES = 8 * 1024 * 1024;

export interface RedisContentStoreOptions {
  /** The client to use, asked on every call (the process-wide one may be replaced by a reload). */
  client: () => Redis | undefined;
  ttlSeconds?: number;
  maxEntryBytes?: number;
}

/** A {@link ContentStore} in Redis. Never throws: an unavailable Redis reads as a miss and drops writes. */
export class RedisContentStore implements ContentStore {
  readonly name = 'redis';
  private readonly ttlSeconds: number;
  private readonly maxEntryBytes: number;

  constructor(private readonly options: RedisContentStoreOptions) {
    this.ttlSeconds = options.ttlSeconds ?? CONTENT_TTL_SECONDS;
    this.maxEntryBytes = options.maxEntryBytes ?? MAX_SHARED_ENTRY_BYTES;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const bytes = await tryRedis(this.options.client(), (redis) => redis.getBuffer(CONTENT_PREFIX + key));
    return bytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    if (bytes.byteLength > this.maxEntryBytes) return;
    const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await tryRedis(this.options.client(), (redis) => redis.set(CONTENT_PREFIX + key, value, 'EX', this.ttlSeconds));
  }

  async delete(key: string): Promise<void> {
    await tryRedis(this.options.client(), (redis) => redis.del(CONTENT_PREFIX + key));
  }
}

/** The Redis tier for the tier list: `[]` without `cache.redis`, else one store on the process-wide client. */
export function redisContentTier(config: Pick<PortholeConfig, 'cache'>): ContentStore[] {
  const url = config.cache?.redis;
  if (url === undefined) return [];
  return [new RedisContentStore({ client: () => sharedRedis(url) })];
}
