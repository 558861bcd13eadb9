/** Test helper: waits until an ioredis client is connected (after a start or a restart of the server). */
import type { Redis } from 'ioredis';

export async function waitUntilReady(client: Redis, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (client.status !== 'ready') {
    if (Date.now() > deadline) throw new Error(`the Redis client is still ${client.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
