/**
 * A lock in Redis that spans replicas: `SET key value NX PX ttl`, where the value is a random token plus who
 * holds it (replica, host, start time). The holder renews it while its work runs (compare-and-expire in Lua)
 * and releases it with compare-and-delete, so it never removes a lock another holder took after its own
 * expired. A holder that crashes stops renewing: the lock expires after at most {@link LOCK_TTL_MS}.
 *
 * This is the single-instance pattern of the Redis documentation (not Redlock): enough to keep two replicas
 * from running the same cleanup at once; it does not survive a Redis failover that loses the key.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ReplicaIdentity } from './replica';

/** Prefix of every lock key. */
export const LOCK_PREFIX = 'porthole:lock:';
/** How long a lock lives without renewal: a crashed holder blocks others at most this long. */
export const LOCK_TTL_MS = 30_000;

/** Who holds a lock, as the refusal reports it. */
export interface LockHolder extends ReplicaIdentity {
  /** When the holder took the lock (ISO 8601). */
  startedAt: string;
}

interface Stored extends LockHolder {
  token: string;
}

/** Renews the lock when it is still ours; takes it again when it expired meanwhile (an outage); 0 when another holds it. */
const RENEW = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if not current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
return 0`;

/** Deletes the lock only when it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export type Acquired = { ok: true; lock: RedisLock } | { ok: false; holder?: LockHolder };

/** One lock taken in Redis. */
export class RedisLock {
  constructor(
    private readonly client: Redis,
    readonly key: string,
    private readonly value: string,
    readonly holder: LockHolder,
    readonly ttlMs: number,
  ) {}

  /** Extends the lock by its TTL. True while it is ours (or was free and is ours again); false when another took it. Throws when Redis fails. */
  async renew(): Promise<boolean> {
    const answer = await this.client.eval(RENEW, 1, this.key, this.value, String(this.ttlMs));
    return Number(answer) > 0;
  }

  /** Deletes the lock when it is still ours. True when it was. Throws when Redis fails. */
  async release(): Promise<boolean> {
    return Number(await this.client.eval(RELEASE, 1, this.key, this.value)) === 1;
  }
}

function parseHolder(value: string | null): LockHolder | undefined {
  if (!value) return undefined;
  try {
    const { token: _token, ...holder } = JSON.parse(value) as Stored;
    return holder;
  } catch {
    return undefined;
  }
}

/**
 * Takes `name` (under {@link LOCK_PREFIX}) when nobody holds it; otherwise reports the holder (undefined when
 * the lock vanished between the two reads). Throws when Redis fails.
 */
export async function tryLock(client: Redis, name: string, identity: ReplicaIdentity, ttlMs = LOCK_TTL_MS): Promise<Acquired> {
  const key = LOCK_PREFIX + name;
  const holder: LockHolder = { ...identity, startedAt: new Date().toISOString() };
  const value = JSON.stringify({ token: randomBytes(16).toString('hex'), ...holder } satisfies Stored);
  const answer = await client.set(key, value, 'PX', ttlMs, 'NX');
  if (answer === 'OK') return { ok: true, lock: new RedisLock(client, key, value, holder, ttlMs) };
  const current = parseHolder(await client.get(key));
  return current ? { ok: false, holder: current } : { ok: false };
}

/** Who holds `name`, if anyone. Throws when Redis fails. */
export async function lockHolder(client: Redis, name: string): Promise<LockHolder | undefined> {
  return parseHolder(await client.get(LOCK_PREFIX + name));
}
