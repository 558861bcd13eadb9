/** Test helper: one Redis server with two ready clients on it, as two replicas of Porthole would share it. */
import type { Redis } from 'ioredis';
import { startRedis, type RunningRedis } from '@/lib/testing/redis-server';
import { createRedisClient } from '../client';
import { waitUntilReady } from './ready';

export interface RedisPair {
  redis: RunningRedis;
  a: Redis;
  b: Redis;
}

/** Starts the server and both clients; on a failed start it stops what it started before rethrowing. */
export async function startRedisPair(): Promise<RedisPair> {
  const redis = await startRedis();
  const a = createRedisClient(redis.url);
  const b = createRedisClient(redis.url);
  try {
    await Promise.all([waitUntilReady(a), waitUntilReady(b)]);
  } catch (error) {
    await stopRedisPair({ redis, a, b });
    throw error;
  }
  return { redis, a, b };
}

/** Disconnects the clients and stops the server; tolerates a pair that never started. */
export async function stopRedisPair(pair: Partial<RedisPair>): Promise<void> {
  pair.a?.disconnect();
  pair.b?.disconnect();
  await pair.redis?.stop();
}
