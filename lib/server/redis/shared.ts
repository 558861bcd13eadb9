/**
 * The process-wide Redis client of the loaded configuration (`cache.redis`), or `undefined` when none is
 * configured. Everything that shares state between replicas asks here.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import { getConfig } from '../sources';
import { sharedRedis } from './client';

/** The configured shared Redis, connecting on first use. */
export async function configuredRedis(): Promise<Redis | undefined> {
  return sharedRedis((await getConfig()).cache?.redis);
}
