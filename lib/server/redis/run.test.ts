import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisHealth } from './health';
import { tryRedis } from './run';

/** A client after its first connection, now reconnecting (Redis went away); ioredis's marker set like client.ts does. */
function reconnectingClient(): Redis {
  return { status: 'reconnecting', [Symbol.for('porthole.redis.first-attempt-done')]: true } as unknown as Redis;
}

afterEach(() => {
  vi.restoreAllMocks();
  const health = redisHealth();
  health.down = false;
  delete health.downSince;
});

describe('tryRedis during an outage', () => {
  it('misses without sending, and logs the outage once even before a reconnection has failed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const command = vi.fn(async () => 'never');
    expect(await tryRedis(reconnectingClient(), command)).toBeUndefined();
    expect(await tryRedis(reconnectingClient(), command)).toBeUndefined();
    expect(command).not.toHaveBeenCalled();
    expect(warn.mock.calls.filter(([line]) => String(line).includes('redis: unavailable'))).toHaveLength(1);
    expect(redisHealth().down).toBe(true);
  });
});
