/**
 * Whether the shared Redis/Valkey answers, as this process last saw it. A failure while it was up starts an
 * outage and logs one warning; the next success (or the client's `ready` event) ends it and logs once more.
 * Requests never see these failures: every caller falls back to its local layers (docs/operations.md).
 *
 * Process-wide on `globalThis` (every Next.js chunk shares one outage), with counters for metrics.
 */
import 'server-only';
import { redact } from '@/lib/redaction/secrets';

export interface RedisHealth {
  /** An outage is in progress (a command or the connection failed, and nothing has succeeded since). */
  down: boolean;
  /** Outages since the process started. */
  outages: number;
  /** Failed commands and connection attempts since the process started. */
  failures: number;
  /** When the current outage started (ms since the epoch). */
  downSince?: number;
}

const KEY = Symbol.for('porthole.redis.health');

/** The process-wide health record. */
export function redisHealth(): RedisHealth {
  const scope = globalThis as Record<symbol, unknown>;
  let health = scope[KEY] as RedisHealth | undefined;
  if (!health) {
    health = { down: false, outages: 0, failures: 0 };
    scope[KEY] = health;
  }
  return health;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Never the URL or its password: the error names at most host, port and the failing step.
  return redact(text).slice(0, 200);
}

/** Records a failed command or connection; the first one of an outage logs a warning. */
export function reportRedisFailure(error: unknown, now = Date.now()): void {
  const health = redisHealth();
  health.failures += 1;
  if (health.down) return;
  health.down = true;
  health.downSince = now;
  health.outages += 1;
  console.warn(`[porthole] redis: unavailable (${describe(error)}); carrying on with the local caches and locks until it answers again`);
}

/** Records a success; ends an outage (one log line). */
export function reportRedisSuccess(now = Date.now()): void {
  const health = redisHealth();
  if (!health.down) return;
  const seconds = health.downSince === undefined ? 0 : Math.round((now - health.downSince) / 1000);
  health.down = false;
  delete health.downSince;
  console.warn(`[porthole] redis: answering again after ${seconds} s; shared caches and locks are back`);
}
