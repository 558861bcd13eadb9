/**
 * `npm run cleanup` with `cache.redis`: the command takes the source's cross-replica lock like the API (refused
 * with the holder named while a replica runs a cleanup of the source), and exits when done instead of being
 * kept alive by the Redis connection.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RunningRedis } from '@/lib/testing/redis-server';
import { runScript } from '@/lib/testing/run-script';
import { createRedisClient } from './client';
import { lockHolder } from './lock';
import { holdAcrossReplicas } from './replica-hold';
import { waitUntilReady } from './testing/ready';

let redis: RunningRedis;
let client: Redis;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  client = createRedisClient(redis.url);
  await waitUntilReady(client);
  dir = await mkdtemp(join(tmpdir(), 'porthole-cli-lock-'));
  await writeFile(join(dir, 'porthole.config.yaml'), `cache:\n  redis: ${redis.url}\nsources:\n  - name: mem\n    kind: memory\n    delete: true\n`);
  await writeFile(join(dir, 'policy.json'), JSON.stringify({ repositories: ['team/app'], rules: [{ match: '^ci-', keepNewest: 0 }] }));
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

const cleanup = () => runScript('scripts/cleanup.ts', ['--config', join(dir, 'porthole.config.yaml'), '--source', 'mem', '--policy', join(dir, 'policy.json'), '--execute']);

describe('npm run cleanup with cache.redis', () => {
  it('is refused while another replica cleans the same source, and runs (and exits) once it is free', async () => {
    const hold = await holdAcrossReplicas('cleanup/mem', 'a cleanup of source "mem"', { client, identity: { replica: 'replica-b', host: 'host-b', pid: 2 } });
    try {
      const refused = await cleanup();
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('DENIED: a cleanup of source "mem" is already running on replica replica-b');
    } finally {
      await hold.release();
    }
    const run = await cleanup();
    expect(run.stderr).toBe('');
    // It ran (the empty memory source has no team/app: an error in the plan, exit 1) and exited by itself.
    expect(run.stdout).toContain('Executing…');
    expect(run.stdout).toContain('"action":"cleanup"');
    expect(run.code).toBe(1);
    expect(await lockHolder(client, 'cleanup/mem')).toBeUndefined();
  });
});
