/**
 * Runs one Redis command on behalf of a request: `undefined` (a miss) when no Redis is configured, when the
 * connection is down, or when the command fails or times out. Failures are counted and logged once per
 * outage (`health.ts`), never thrown: a shared cache must never turn into an error for the user.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import { firstConnection } from './client';
import { reportRedisFailure, reportRedisSuccess } from './health';

/** `command` on `client` when it is connected; `undefined` otherwise or on failure. */
export async function tryRedis<T>(client: Redis | undefined, command: (client: Redis) => Promise<T>): Promise<T | undefined> {
  // A process that just started waits for its first connection (short: the connect timeout); during an outage
  // (reconnecting, already reported by the error listener) commands are skipped at once.
  if (!client || !(await firstConnection(client))) return undefined;
  try {
    const result = await command(client);
    reportRedisSuccess();
    return result;
  } catch (error) {
    reportRedisFailure(error);
    return undefined;
  }
}
