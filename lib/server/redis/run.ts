/**
 * Runs one Redis command on behalf of a request: `undefined` (a miss) when no Redis is configured, when the
 * connection is not ready, or when the command fails or times out. Failures are counted and logged once per
 * outage (`health.ts`), never thrown: a shared cache must never turn into an error for the user.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import { reportRedisFailure, reportRedisSuccess } from './health';

/** `command` on `client` when it is connected; `undefined` otherwise or on failure. */
export async function tryRedis<T>(client: Redis | undefined, command: (client: Redis) => Promise<T>): Promise<T | undefined> {
  // Not connected (starting, or reconnecting during an outage the error listener already reported): skip.
  if (!client || client.status !== 'ready') return undefined;
  try {
    const result = await command(client);
    reportRedisSuccess();
    return result;
  } catch (error) {
    reportRedisFailure(error);
    return undefined;
  }
}
