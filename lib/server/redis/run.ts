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
  // commands are skipped at once. A skip counts as a failure: a short outage may end before the first failed
  // reconnection would have reported it, and a request that went without Redis is what the log must show.
  if (!client) return undefined;
  if (!(await firstConnection(client))) {
    reportRedisFailure(new Error(`the connection is ${client.status}`));
    return undefined;
  }
  try {
    const result = await command(client);
    reportRedisSuccess();
    return result;
  } catch (error) {
    reportRedisFailure(error);
    return undefined;
  }
}
