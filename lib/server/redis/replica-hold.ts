/**
 * "Run once across replicas" for cleanups and copies: before starting, a replica takes a Redis lock named after
 * the target (`tryLock` in lock.ts), renews it while the work runs and releases it at the end. Another replica
 * trying the same target meanwhile is refused with 409 DENIED, `detail: {reason: 'already-running', holder}`
 * naming the replica and when it started.
 *
 * Within one process the hold is shared: a second cleanup of the same source on the same replica joins the hold
 * and then waits for the first in the process mutex, as it always has (lib/cleanup/service.ts). Without
 * `cache.redis`, or while Redis is unavailable, the hold is local only (the behaviour of a single replica) and
 * the outage is logged once (health.ts).
 */
import 'server-only';
import type { Redis } from 'ioredis';
import { RegistryError } from '@/lib/oci/errors';
import { firstConnection } from './client';
import { reportRedisFailure, reportRedisSuccess } from './health';
import { LOCK_TTL_MS, tryLock, type LockHolder, type RedisLock } from './lock';
import { replicaIdentity, type ReplicaIdentity } from './replica';
import { configuredRedis } from './shared';

/** A hold on a target; `release()` once the work is over (idempotent). */
export interface ReplicaHold {
  /** Who holds the Redis lock (this replica), or undefined when the hold is local only. */
  readonly holder?: LockHolder;
  release(): Promise<void>;
}

export interface HoldOptions {
  /** Default: the configured shared Redis (none: local only). */
  client?: Redis;
  identity?: ReplicaIdentity;
  ttlMs?: number;
  /** How often the lock is renewed while held (default a third of the TTL). */
  renewEveryMs?: number;
}

interface Entry {
  users: number;
  acquired: Promise<RedisLock | undefined>;
  timer?: NodeJS.Timeout;
}

const KEY = Symbol.for('porthole.redis.holds');

function entries(): Map<string, Entry> {
  const scope = globalThis as Record<symbol, unknown>;
  let found = scope[KEY] as Map<string, Entry> | undefined;
  if (!found) {
    found = new Map();
    scope[KEY] = found;
  }
  return found;
}

/** The refusal a second replica gets. */
export function alreadyRunning(what: string, holder: LockHolder | undefined): RegistryError {
  const who = holder ? ` on replica ${holder.replica} (host ${holder.host}, since ${holder.startedAt})` : ' on another replica';
  return new RegistryError('DENIED', `${what} is already running${who}; try again when it has finished`, {
    status: 409,
    detail: { reason: 'already-running', ...(holder ? { holder } : {}) },
  });
}

async function acquire(client: Redis, name: string, what: string, options: HoldOptions): Promise<RedisLock | undefined> {
  // Not connected (an outage the client's error listener reported): work goes on with local locks.
  if (!(await firstConnection(client))) return undefined;
  try {
    // The lock may vanish between the SET and the GET that names its holder: then try once more.
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await tryLock(client, name, options.identity ?? replicaIdentity(), options.ttlMs ?? LOCK_TTL_MS);
      reportRedisSuccess();
      if (answer.ok) return answer.lock;
      if (answer.holder) throw alreadyRunning(what, answer.holder);
    }
    throw alreadyRunning(what, undefined);
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    reportRedisFailure(error);
    return undefined;
  }
}

function renewEvery(entry: Entry, lock: RedisLock, what: string, everyMs: number): void {
  let lost = false;
  entry.timer = setInterval(() => {
    lock.renew().then(
      (ours) => {
        reportRedisSuccess();
        if (!ours && !lost) console.warn(`[porthole] redis: the lock of ${what} was taken by another replica while this one still runs it`);
        lost = !ours;
      },
      (error: unknown) => reportRedisFailure(error),
    );
  }, everyMs);
  // A held lock must not keep a finished CLI process alive.
  entry.timer.unref();
}

/**
 * Holds `name` across replicas for `what` (a phrase for the refusal: `a cleanup of source "prod"`). Throws 409
 * DENIED `already-running` when another replica holds it; never fails because Redis does.
 */
export async function holdAcrossReplicas(name: string, what: string, options: HoldOptions = {}): Promise<ReplicaHold> {
  const client = options.client ?? (await configuredRedis());
  if (!client) return { release: async () => undefined };
  const identity = options.identity ?? replicaIdentity();
  const map = entries();
  // Per identity: tests play two replicas in one process.
  const local = `${identity.replica}\0${name}`;
  let entry = map.get(local);
  if (!entry) {
    const created: Entry = { users: 0, acquired: acquire(client, name, what, { ...options, identity }) };
    map.set(local, created);
    created.acquired.then(
      (lock) => {
        if (lock && map.get(local) === created && created.users > 0) renewEvery(created, lock, what, options.renewEveryMs ?? lock.ttlMs / 3);
      },
      () => {
        if (map.get(local) === created) map.delete(local);
      },
    );
    entry = created;
  }
  const joined = entry;
  joined.users += 1;
  let lock: RedisLock | undefined;
  try {
    lock = await joined.acquired;
  } catch (error) {
    joined.users -= 1;
    throw error;
  }
  let released = false;
  return {
    ...(lock ? { holder: lock.holder } : {}),
    async release() {
      if (released) return;
      released = true;
      joined.users -= 1;
      if (joined.users > 0) return;
      if (map.get(local) === joined) map.delete(local);
      clearInterval(joined.timer);
      if (!lock) return;
      await lock.release().then(() => reportRedisSuccess(), (error: unknown) => reportRedisFailure(error));
    },
  };
}

/** Runs `task` under a hold on `name`; the hold is released when the task settles. */
export async function runOnceAcrossReplicas<T>(name: string, what: string, task: () => Promise<T>, options: HoldOptions = {}): Promise<T> {
  const hold = await holdAcrossReplicas(name, what, options);
  try {
    return await task();
  } finally {
    await hold.release();
  }
}
