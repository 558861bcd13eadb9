/**
 * The content cache across a restart, against the built server (`scripts/serve.ts`): a real docker-registry
 * behind the benchmark's counting proxy, a Porthole server on its own data directory, the tags view with
 * details read, the server stopped and started again on the same data directory. The second view may only
 * cost what can change: the tag list and one manifest GET per tag — no manifest by digest, no config.
 * Then entries on disk are corrupted: they must be fetched again, never served.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { closeAppClient, fetchTagsViaApi } from '../bench/app-client';
import { compareDetails } from '../bench/direct';
import { startDelayProxy, type DelayProxy, type ProxyCounts } from '../bench/proxy';
import { seedRegistry } from '../bench/seed';
import { planSeed } from '../bench/seed-plan';
import { startPorthole } from './support/porthole-server';
import { expect, test } from './support/test';

const SOURCE = 'cached';
const plan = planSeed({ tags: 40, manifests: 12 });

let registry: RunningRegistry;
let proxy: DelayProxy;
let dataDir: string;

/** One view of every tag with details on a freshly started server over `dataDir`; the registry requests it made. */
async function viewOnNewServer(): Promise<{ wrong: string[]; counts: ProxyCounts }> {
  // catalogCacheSeconds 0: no catalog read at start, so every request counted is the view's.
  const server = await startPorthole({ sources: [{ name: SOURCE, kind: 'http', url: proxy.url, catalogCacheSeconds: 0 }] }, { dataDir });
  try {
    proxy.reset();
    const view = await fetchTagsViaApi(server.url, SOURCE, plan.repo);
    const counts = proxy.counts();
    return { wrong: compareDetails(plan.expected, new Map(view.rows.map((row) => [row.name, row]))), counts };
  } finally {
    await server.stop();
  }
}

/** The disk tier's file of `key` (`lib/server/content-cache/key-path.ts`). */
function cacheFile(namespace: 'manifest' | 'blob', digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(dataDir, 'cache', namespace, 'sha256', hex.slice(0, 2), hex);
}

test.describe('the content cache across a restart of the built server', () => {
  test.describe.configure({ timeout: 300_000 });

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    registry = await startRegistry();
    await seedRegistry(registry.url, plan, { catalogSize: 2 });
    proxy = await startDelayProxy({ upstream: registry.url, delayMs: 0 });
    dataDir = await mkdtemp(join(tmpdir(), 'porthole-restart-cache-'));
  });

  test.afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    await closeAppClient();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('a restarted server shows every tag with the tag list and one request per tag, and nothing else', async () => {
    const cold = await viewOnNewServer();
    expect(cold.wrong).toEqual([]);
    // The minimum and nothing else: each config's GET is what records it as present in the repository (no HEAD).
    expect(cold.counts.byClass).toEqual({
      'GET tags': 1,
      'GET manifest': plan.minimum.tagManifests + plan.minimum.childManifests,
      'GET blob': plan.minimum.configs,
    });

    const restarted = await viewOnNewServer();
    expect(restarted.wrong).toEqual([]);
    expect(restarted.counts.byClass).toEqual({ 'GET tags': 1, 'GET manifest': plan.expected.size });
    expect(restarted.counts.total).toBe(1 + plan.expected.size);
  });

  test('a corrupted disk entry is fetched again from the registry, never served', async () => {
    // Self-contained: fill the cache first (costs nothing extra when the test above ran).
    expect((await viewOnNewServer()).wrong).toEqual([]);
    const image = plan.tops.find((top) => top.kind === 'image')!;
    const configDigest = (JSON.parse(image.bytes.toString('utf8')) as { config: { digest: string } }).config.digest;
    const child = plan.children[0]!;
    const configBytes = await readFile(cacheFile('blob', configDigest));
    const childBytes = await readFile(cacheFile('manifest', child.digest));
    // Same length, different content: a created time decades off, a child manifest with a changed byte.
    await writeFile(cacheFile('blob', configDigest), configBytes.toString('utf8').replace(/"created":"\d{4}/, '"created":"1999'));
    await writeFile(cacheFile('manifest', child.digest), Buffer.from(childBytes.toString('utf8').replace('"schemaVersion":2', '"schemaVersion":3')));
    expect(await readFile(cacheFile('blob', configDigest))).not.toEqual(configBytes);

    const after = await viewOnNewServer();
    expect(after.wrong).toEqual([]);
    expect(after.counts.byClass).toEqual({ 'GET tags': 1, 'GET manifest': plan.expected.size + 1, 'GET blob': 1 });
    // Fetched again and kept again, intact.
    expect(await readFile(cacheFile('blob', configDigest))).toEqual(configBytes);
    expect(await readFile(cacheFile('manifest', child.digest))).toEqual(childBytes);
  });
});
