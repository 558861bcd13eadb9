/**
 * `tryRedis` against servers that are not a working Redis: refused connections and a server that accepts but
 * never answers. Requests wait at most once, for the first connection of the process, and never fail.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '@/lib/registry/testing/exec';
import { CONNECT_TIMEOUT_MS, createRedisClient } from './client';
import { tryRedis } from './run';

let silent: Server;
const sockets = new Set<Socket>();
let silentPort: number;

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('tryRedis', () => {
  it('misses at once when nothing listens, from the first request on', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = createRedisClient(`redis://127.0.0.1:${await freePort()}`);
    try {
      for (let i = 0; i < 3; i++) await expect(tryRedis(client, (redis) => redis.get('k'))).resolves.toBeUndefined();
    } finally {
      client.disconnect();
      vi.restoreAllMocks();
    }
  });

  it('waits once for a server that accepts but never answers, then misses at once', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = createRedisClient(`redis://127.0.0.1:${silentPort}`);
    try {
      const first = Date.now();
      await expect(tryRedis(client, (redis) => redis.get('k'))).resolves.toBeUndefined();
      expect(Date.now() - first).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100);
      const later = Date.now();
      for (let i = 0; i < 5; i++) await expect(tryRedis(client, (redis) => redis.get('k'))).resolves.toBeUndefined();
      // Five requests without a connection wait: far below one connect timeout.
      expect(Date.now() - later).toBeLessThan(CONNECT_TIMEOUT_MS);
    } finally {
      client.disconnect();
      vi.restoreAllMocks();
    }
  });
});
