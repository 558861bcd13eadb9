/**
 * A config blob is a fact of one repository, like a manifest: another tool may delete it from one repository only
 * (docker-registry 2.8.2 with deletes on accepts `DELETE /v2/<repo>/blobs/<digest>` and keeps the manifest that
 * names it), and a pull of the image there then fails. One real registry holds the same image (same config) in
 * `a`, `b` and `c`; the config is then deleted from `c`. Once `a` was viewed (its manifest page and tag rows, so
 * the config is in the content cache and in the per-source memos), `c` must answer exactly what Porthole answers
 * for a config that was never cached (repository `lone`): `configError` BLOB_UNKNOWN on the manifest page, a row
 * `error` BLOB_UNKNOWN without a platform or created time in the tag list — never `a`'s config.
 *
 * The price, counted through the benchmark's proxy: a cold view of one repository costs what it did (the config
 * GET proves the config there); a second repository holding the same config costs one existence check (HEAD)
 * per config; after a restart (new sources over the same content store) a tag view of either costs only the tag
 * list and one request per tag.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestResponse, TagRow, TagsResponse } from '@/lib/api/types';
import { createHttpRegistry } from '@/lib/registry/http';
import { image, pushBuilt, type Built } from '@/lib/registry/testing/build';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { startDelayProxy, type DelayProxy } from '@/bench/proxy';
import type { PortholeConfig } from './config/types';
import { setConfigForTests } from './sources';
import { endApiTest } from './testing/api-teardown';
import { getJson } from './testing/test-api';
import { configOf } from './testing/test-support';

let registry: RunningRegistry;
/** Counts what the source asks the registry (no delay). */
let proxy: DelayProxy;
let dir: string;
let config: PortholeConfig;
const previousDataDir = process.env.PORTHOLE_DATA_DIR;

const shared = image({ seed: 'config-presence-shared', platform: { os: 'linux', architecture: 'arm64' } });
const lone = image({ seed: 'config-presence-lone', platform: { os: 'linux', architecture: 'arm64' } });
const configOfImage = (built: Built) => built.blobs[0]!.descriptor.digest;

const page = (repo: string) => getJson<ManifestResponse>(`/api/sources/reg/repositories/${repo}/-/manifests/v1`);
async function row(repo: string): Promise<TagRow> {
  const listed = await getJson<TagsResponse>(`/api/sources/reg/repositories/${repo}/-/tags`);
  expect(listed.status).toBe(200);
  expect(listed.body.tags).toHaveLength(1);
  return listed.body.tags[0]!;
}

/** What a page and a row say about a config, with the digests that differ between images left out. */
function configAnswer(view: ManifestResponse, tagRow: TagRow) {
  return {
    config: view.config,
    configError: view.configError?.code,
    row: { platforms: tagRow.platforms, created: tagRow.created, error: tagRow.error?.code },
  };
}

/**
 * The registry requests of `work`, by method and kind, pings left out (a new client pings once). Each repository's
 * tag rows are read before its manifest page: the page's background resolution of every tag then reuses the rows'
 * fresh listing and asks the registry nothing that could land in a later count.
 */
async function requestsOf(work: () => Promise<unknown>): Promise<Record<string, number>> {
  proxy.reset();
  await work();
  const byClass = { ...proxy.counts().byClass };
  delete byClass['GET ping'];
  return byClass;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-config-presence-'));
  process.env.PORTHOLE_DATA_DIR = join(dir, 'data');
  registry = await startRegistry({ delete: true });
  const seed = createHttpRegistry({ url: registry.url, name: 'seed' });
  try {
    for (const repo of ['a', 'b', 'c']) await pushBuilt(seed, repo, shared, { tag: 'v1' });
    await pushBuilt(seed, 'lone', lone, { tag: 'v1' });
    // Another tool deletes the config blob from `c` and from `lone` only; their manifests stay.
    await seed.deleteBlob('c', configOfImage(shared));
    await seed.deleteBlob('lone', configOfImage(lone));
  } finally {
    await seed.close();
  }
  proxy = await startDelayProxy({ upstream: registry.url, delayMs: 0 });
  // A long tag cache time: nothing read in this test goes stale however slow the machine.
  config = configOf({ tagCacheSeconds: 300, sources: [{ name: 'reg', url: proxy.url }] });
  await setConfigForTests(config);
}, 120_000);

afterAll(async () => {
  await endApiTest({ registry, dir, previousDataDir });
  await proxy?.stop();
});

describe('a config deleted from one repository is missing there, whatever another repository showed', () => {
  let missing: ReturnType<typeof configAnswer>;

  it('with nothing cached, a repository without its config says BLOB_UNKNOWN (the answer to match)', async () => {
    const tagRow = await row('lone');
    expect(tagRow.digest).toBe(lone.manifest.descriptor.digest);
    expect(tagRow.error).toMatchObject({ code: 'BLOB_UNKNOWN' });
    const view = await page('lone');
    expect(view.status).toBe(200);
    expect(view.body.config).toBeUndefined();
    expect(view.body.configError).toMatchObject({ code: 'BLOB_UNKNOWN' });
    missing = configAnswer(view.body, tagRow);
    expect(missing).toEqual({ configError: 'BLOB_UNKNOWN', row: { platforms: [], created: null, error: 'BLOB_UNKNOWN' } });
  });

  it('a cold view of `a` reads its config once, and shows it', async () => {
    let tagRow: TagRow | undefined;
    const cold = await requestsOf(async () => (tagRow = await row('a')));
    expect(tagRow).toMatchObject({ digest: shared.manifest.descriptor.digest, platforms: ['linux/arm64'] });
    expect(tagRow?.error).toBeUndefined();
    expect(cold).toEqual({ 'GET tags': 1, 'GET manifest': 1, 'GET blob': 1 });
    const view = await page('a');
    expect(view.body.config).toMatchObject({ os: 'linux', architecture: 'arm64' });
    expect(view.body.configError).toBeUndefined();
  });

  it("after `a` was viewed, `c` (which lost the config) answers as if nothing were cached: never `a`'s config", async () => {
    const tagRow = await row('c');
    expect(tagRow.digest).toBe(shared.manifest.descriptor.digest);
    const view = await page('c');
    expect(view.status).toBe(200);
    expect(view.body.descriptor.digest).toBe(shared.manifest.descriptor.digest);
    expect(configAnswer(view.body, tagRow)).toEqual(missing);
    expect(view.text).not.toContain('arm64');
  });

  it('`b` (which holds the config) shows it after one existence check, and `a` is unchanged', async () => {
    let tagRow: TagRow | undefined;
    const second = await requestsOf(async () => (tagRow = await row('b')));
    expect(tagRow).toMatchObject({ digest: shared.manifest.descriptor.digest, platforms: ['linux/arm64'] });
    expect(tagRow?.error).toBeUndefined();
    expect(second).toEqual({ 'GET tags': 1, 'GET manifest': 1, 'HEAD blob': 1 });
    expect((await page('b')).body.config).toMatchObject({ os: 'linux', architecture: 'arm64' });
    expect((await page('a')).body.config).toMatchObject({ os: 'linux', architecture: 'arm64' });
  });

  it('after a restart (new sources, same content store) a tag view costs the tag list and one request per tag', async () => {
    await setConfigForTests(config);
    for (const repo of ['a', 'b']) {
      let tagRow: TagRow | undefined;
      const restarted = await requestsOf(async () => (tagRow = await row(repo)));
      expect(tagRow).toMatchObject({ digest: shared.manifest.descriptor.digest, platforms: ['linux/arm64'] });
      expect(restarted).toEqual({ 'GET tags': 1, 'GET manifest': 1 });
    }
    // And `c` still says its config is missing.
    const tagRow = await row('c');
    expect(configAnswer((await page('c')).body, tagRow)).toEqual(missing);
  });
});
