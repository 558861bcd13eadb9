/**
 * Two Porthole replicas (production servers on their own ports, each with its own data directory and replica
 * id) sharing one redis-server, in front of one docker-registry 2.8.2 reached through a gate proxy:
 * - two concurrent cleanups of one source through different replicas: one runs, the other is refused with 409
 *   `already-running` naming the first replica (the first one's writes are held at the gate meanwhile, so the
 *   overlap does not depend on timing);
 * - a tag view on replica B right after the same view on A asks the registry for no tag list and no tag;
 * - Redis stopped mid-run changes no answer of either replica, and each logs one warning for the outage.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { seedTags } from '@/lib/registry/testing/seed-tags';
import { startGateProxy, type GateProxy } from '@/lib/testing/gate-proxy';
import { startRedis, type RunningRedis } from '@/lib/testing/redis-server';
import { startPorthole, type PortholeServer } from './support/porthole-server';
import { registryTags } from './support/registry';
import { expect, test } from './support/test';

const REPO = 'replicas/app';
const OTHER = 'replicas/other';
const viewOf = (repo: string) => `/api/sources/reg/repositories/${repo}/-/tags?details=1&n=100`;
const POLICY = { repositories: [REPO], rules: [{ match: '^t0-', keepNewest: 0 }], protect: [], dryRun: false };

let registry: RunningRegistry;
let redis: RunningRedis;
let gate: GateProxy;
let a: PortholeServer;
let b: PortholeServer;
let dataDirs: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  [registry, redis] = await Promise.all([startRegistry({ delete: true }), startRedis()]);
  await seedTags(registry, REPO, { images: 3, tagsPer: () => 2, seed: 'replicas e2e' });
  await seedTags(registry, OTHER, { images: 2, tagsPer: () => 2, seed: 'replicas e2e other' });
  // Pushes wait at the gate: a cleanup on distribution 2.8.2 deletes a tag by pushing a placeholder onto it
  // first. Deletes pass (the deletion probes of a cleanup's checks are DELETEs of things that do not exist).
  gate = await startGateProxy({ upstream: registry.url, hold: (method) => method === 'POST' || method === 'PUT' });
  dataDirs = await Promise.all([mkdtemp(join(tmpdir(), 'porthole-replica-a-')), mkdtemp(join(tmpdir(), 'porthole-replica-b-'))]);
  const config = { cache: { redis: redis.url }, tagCacheSeconds: 300, sources: [{ name: 'reg', kind: 'http', url: gate.url, delete: true }] };
  [a, b] = await Promise.all([
    startPorthole(config, { timeoutMs: 120_000, dataDir: dataDirs[0]!, env: { PORTHOLE_REPLICA_ID: 'replica-a' } }),
    startPorthole(config, { timeoutMs: 120_000, dataDir: dataDirs[1]!, env: { PORTHOLE_REPLICA_ID: 'replica-b' } }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await Promise.all([gate?.stop(), registry?.stop(), redis?.stop()]);
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function cleanup(server: PortholeServer): Promise<Response> {
  return fetch(`${server.url}/api/sources/reg/cleanup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(POLICY) });
}

async function view(server: PortholeServer, repo = REPO): Promise<unknown> {
  const response = await fetch(`${server.url}${viewOf(repo)}`);
  expect(response.status).toBe(200);
  return response.json();
}

test('a view on replica B right after A asks the registry for no tag list, no tag, no manifest and no config', async () => {
  const onA = await view(a);
  // A shares without holding its answer up: wait until the listing (the list and six tags) is in Redis.
  const client = new Redis(redis.url);
  try {
    await expect.poll(async () => {
      const [key] = await client.keys('porthole:tags:*');
      return key ? client.hlen(key) : 0;
    }).toBe(7);
  } finally {
    client.disconnect();
  }
  const before = gate.counts();
  const onB = await view(b);
  const after = gate.counts();
  expect(onB).toEqual(onA);
  expect(after['GET tags'] ?? 0).toBe(before['GET tags'] ?? 0);
  expect(after['GET manifest-by-tag'] ?? 0).toBe(before['GET manifest-by-tag'] ?? 0);
  // Manifests by digest (index children) and image configs come from the content store's Redis tier.
  expect(after['GET manifest'] ?? 0).toBe(before['GET manifest'] ?? 0);
  expect(after['GET blob'] ?? 0).toBe(before['GET blob'] ?? 0);
  expect(before['GET blob']).toBeGreaterThanOrEqual(1);
  expect(before['GET manifest-by-tag']).toBeGreaterThanOrEqual(6);
});

test('two concurrent cleanups of one source through different replicas: one runs, one is refused', async () => {
  const first = cleanup(a);
  // A is past its checks and holds the lock once its first write reaches the gate.
  await gate.waitForHeld(1);
  const second = await cleanup(b);
  expect(second.status).toBe(409);
  const error = ((await second.json()) as { errors: { code: string; message: string; detail: { reason: string; holder: { replica: string; startedAt: string } } }[] }).errors[0]!;
  expect(error.code).toBe('DENIED');
  expect(error.message).toContain('a cleanup of source "reg" is already running on replica replica-a');
  expect(error.detail.reason).toBe('already-running');
  expect(error.detail.holder.replica).toBe('replica-a');
  expect(Date.parse(error.detail.holder.startedAt)).not.toBeNaN();

  gate.open();
  const done = await first;
  expect(done.status).toBe(200);
  expect(((await done.json()) as { deleted: number }).deleted).toBe(2);
  expect(await registryTags(registry.url, REPO)).toEqual(['t1-0', 't1-1', 't2-0', 't2-1']);
  expect(await b.audit()).toContain('already running');
});

test('Redis stopped mid-run changes no answer of either replica', async () => {
  const answers = [await view(a), await view(b)];
  await redis.halt();
  expect([await view(a), await view(b)]).toEqual(answers);
  const reachable = async (server: PortholeServer) => ((await (await fetch(`${server.url}/api/sources?status=1`)).json()) as { sources: { status: { reachable: boolean } }[] }).sources[0]!.status.reachable;
  expect([await reachable(a), await reachable(b)]).toEqual([true, true]);
  // A repository neither replica has listed yet: from the registry, the same on both.
  const other = await view(a, OTHER);
  expect(await view(b, OTHER)).toEqual(other);
  expect((other as { tags: { name: string; digest: string }[] }).tags.map((tag) => tag.name)).toEqual(['t0-0', 't0-1', 't1-0', 't1-1']);
  await redis.start();
  for (const server of [a, b]) {
    await expect.poll(async () => (await server.log()).match(/redis: unavailable/g)?.length ?? 0, { timeout: 30_000 }).toBe(1);
  }
});
