/**
 * The one Redis/Valkey connection of the process (ioredis), made from `cache.redis` and kept on `globalThis`
 * under `Symbol.for('porthole.redis.client')` so that every Next.js chunk shares it. It is tuned for a cache
 * that must never hold a request up:
 * - commands fail at once while disconnected (no offline queue) and after {@link COMMAND_TIMEOUT_MS} when Redis
 *   is slow; callers treat a failure as a miss (see `run.ts`);
 * - it reconnects by itself forever, backing off up to {@link MAX_RECONNECT_DELAY_MS}.
 */
import 'server-only';
import { Redis } from 'ioredis';
import { reportRedisFailure, reportRedisSuccess } from './health';

/** Longest a command may take before it counts as failed (Redis on the same network answers in < 1 ms). */
export const COMMAND_TIMEOUT_MS = 1_000;
/** Longest a connection attempt may take. */
export const CONNECT_TIMEOUT_MS = 2_000;
/** Longest pause between reconnection attempts. */
export const MAX_RECONNECT_DELAY_MS = 2_000;

interface Holder {
  url?: string;
  client?: Redis;
}

const KEY = Symbol.for('porthole.redis.client');
/** Set on a client once its first connection attempt has ended (a property: every Next.js chunk sees it). */
const FIRST_ATTEMPT_DONE = Symbol.for('porthole.redis.first-attempt-done');

function holder(): Holder {
  const scope = globalThis as Record<symbol, unknown>;
  let found = scope[KEY] as Holder | undefined;
  if (!found) {
    found = {};
    scope[KEY] = found;
  }
  return found;
}

/** A new client for `url` (not shared; tests use two to play two replicas). */
export function createRedisClient(url: string): Redis {
  const client = new Redis(url, {
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Many small GETs at once (a tag view): one round trip for all of them.
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
    // Connection names show up in CLIENT LIST: operators can tell Porthole's connections apart.
    connectionName: 'porthole',
  });
  // Without a listener ioredis prints every failed reconnection attempt; one warning per outage instead.
  client.on('error', (error: unknown) => reportRedisFailure(error));
  client.on('ready', () => reportRedisSuccess());
  // After the first attempt (made or failed), nobody waits for a connection again (see firstConnection).
  const attempted = () => ((client as unknown as Record<symbol, boolean>)[FIRST_ATTEMPT_DONE] = true);
  client.once('ready', attempted);
  client.once('close', attempted);
  return client;
}

/**
 * The process-wide client for `url`, created on first use; `undefined` without a URL (no shared cache). A
 * different URL (the configuration was reloaded) closes the old client.
 */
export function sharedRedis(url: string | undefined): Redis | undefined {
  const state = holder();
  if (state.url === url) return state.client;
  state.client?.disconnect();
  delete state.client;
  state.url = url;
  if (url !== undefined) state.client = createRedisClient(url);
  return state.client;
}

/**
 * Waits up to `timeoutMs` for a client that is still making its first connection (a process that just started:
 * a lock must not be skipped only because the connection is a few milliseconds old). A client that lost its
 * connection (an outage) is not waited for. True when ready.
 */
export async function firstConnection(client: Redis, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean> {
  if (client.status === 'ready') return true;
  // A reconnection attempt during an outage is not waited for: a blackholed Redis would slow every request.
  if ((client as unknown as Record<symbol, boolean>)[FIRST_ATTEMPT_DONE]) return false;
  if (client.status !== 'wait' && client.status !== 'connecting' && client.status !== 'connect') return false;
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('close', onClose);
      resolve(ready);
    };
    const onReady = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => {
      // A server that accepts but never answers: wait once, not on every request.
      (client as unknown as Record<symbol, boolean>)[FIRST_ATTEMPT_DONE] = true;
      done(false);
    }, timeoutMs);
    client.once('ready', onReady);
    client.once('close', onClose);
  });
}

/** Closes the process-wide client (tests, shutdown). */
export async function closeSharedRedis(): Promise<void> {
  const state = holder();
  const client = state.client;
  delete state.client;
  delete state.url;
  if (!client) return;
  await client.quit().catch(() => client.disconnect());
}
