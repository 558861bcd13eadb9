/**
 * "Present" is a fact about a repository, not about a source: an index's child seen in repository `b` says
 * nothing about repository `a` of the same registry. One real registry (docker-registry 2.8.2, deletes on) holds
 * in `a` an index of two platform images, and in `b` one of those images. Another tool then deletes that image
 * from `a` (the index in `a` now lists a child `a` does not hold). However the image was last seen in `b` — as a
 * child on the page of `b`'s own index, or in the tag list that computes its details — `a`'s index view must mark
 * that child missing: showing it present would be a wrong answer, and would tell someone browsing `a` that `b`
 * holds it. The price, counted through the benchmark's proxy: the same index in a second repository costs one
 * existence check (HEAD) per child and per child's config there, and no download.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestResponse, TagsResponse } from '@/lib/api/types';
import { createHttpRegistry } from '@/lib/registry/http';
import type { Registry } from '@/lib/registry/registry';
import { image, index, pushBuilt, type Built } from '@/lib/registry/testing/build';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { startDelayProxy, type DelayProxy } from '@/bench/proxy';
import { resetSources, setConfigForTests } from './sources';
import { getJson } from './testing/test-api';
import { configOf } from './testing/test-support';

let registry: RunningRegistry;
let seed: Registry;
/** Counts what the `counted` source asks the registry (no delay). */
let proxy: DelayProxy;
let dir: string;
const savedDataDir = process.env.PORTHOLE_DATA_DIR;

interface Scenario {
  kept: Built;
  shared: Built;
  /** The index in `a`, tagged `tag`. */
  list: Built;
  /** What `b` holds under `tag`: an index of `shared` alone, or `shared` itself. */
  inB: Built;
  tag: string;
}

/** One case: an index in `a` whose `shared` child another tool deleted from `a`; `b` holds `shared`. */
function scenario(name: string, bHolds: 'index' | 'image'): Scenario {
  const kept = image({ seed: `${name}-kept`, platform: { os: 'linux', architecture: 'amd64' } });
  const shared = image({ seed: `${name}-shared`, platform: { os: 'linux', architecture: 'arm64' } });
  const list = index([
    { built: kept, platform: { os: 'linux', architecture: 'amd64' } },
    { built: shared, platform: { os: 'linux', architecture: 'arm64' } },
  ]);
  const inB = bHolds === 'index' ? index([{ built: shared, platform: { os: 'linux', architecture: 'arm64' } }]) : shared;
  return { kept, shared, list, inB, tag: name };
}

const viaManifestPage = scenario('manifest-page', 'index');
const viaTagList = scenario('tag-list', 'image');
/** The same index in two repositories, `c` and `d`, with all of its children. */
const copied = scenario('copied', 'index').list;

async function arrange({ shared, list, inB, tag }: Scenario): Promise<void> {
  await pushBuilt(seed, 'a', list, { tag });
  await pushBuilt(seed, 'b', inB, { tag });
  // Another tool deletes the platform image from `a` only (distribution keeps `b`'s link).
  await seed.deleteManifest('a', shared.manifest.descriptor.digest);
}

function childOf(view: ManifestResponse, built: Built) {
  return view.children?.find((child) => child.descriptor.digest === built.manifest.descriptor.digest);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-presence-scope-'));
  process.env.PORTHOLE_DATA_DIR = join(dir, 'data');
  registry = await startRegistry({ delete: true });
  seed = createHttpRegistry({ url: registry.url, name: 'seed' });
  await arrange(viaManifestPage);
  await arrange(viaTagList);
  for (const repo of ['c', 'd']) await pushBuilt(seed, repo, copied, { tag: 'v1' });
  proxy = await startDelayProxy({ upstream: registry.url, delayMs: 0 });
  // A long tag cache time: what was seen in `b` stays fresh for the whole test, however slow the machine.
  await setConfigForTests(
    configOf({
      tagCacheSeconds: 300,
      sources: [
        { name: 'reg', url: registry.url },
        { name: 'counted', url: proxy.url },
      ],
    }),
  );
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await seed?.close();
  await proxy?.stop();
  await registry?.stop();
  if (savedDataDir === undefined) delete process.env.PORTHOLE_DATA_DIR;
  else process.env.PORTHOLE_DATA_DIR = savedDataDir;
  await rm(dir, { recursive: true, force: true });
});

describe("a child seen in another repository is not present in this one's index", () => {
  it("after `b`'s index page found the child there, `a` still shows it missing", async () => {
    const { kept, shared, tag } = viaManifestPage;
    const inB = await getJson<ManifestResponse>(`/api/sources/reg/repositories/b/-/manifests/${tag}`);
    expect(inB.status).toBe(200);
    expect(childOf(inB.body, shared)).toBeDefined();
    expect(childOf(inB.body, shared)?.missing).toBeUndefined();

    const inA = await getJson<ManifestResponse>(`/api/sources/reg/repositories/a/-/manifests/${tag}`);
    expect(inA.status).toBe(200);
    expect(childOf(inA.body, kept)?.missing).toBeUndefined();
    expect(childOf(inA.body, shared)?.missing).toMatchObject({ code: 'MANIFEST_UNKNOWN' });
  });

  it("after `b`'s tag list computed the child's details, `a` still shows it missing", async () => {
    const { kept, shared, tag } = viaTagList;
    const rows = await getJson<TagsResponse>(`/api/sources/reg/repositories/b/-/tags`);
    expect(rows.status).toBe(200);
    expect(rows.body.tags.find((row) => row.name === tag)?.digest).toBe(shared.manifest.descriptor.digest);

    const inA = await getJson<ManifestResponse>(`/api/sources/reg/repositories/a/-/manifests/${tag}`);
    expect(inA.status).toBe(200);
    expect(childOf(inA.body, kept)?.missing).toBeUndefined();
    expect(childOf(inA.body, shared)?.missing).toMatchObject({ code: 'MANIFEST_UNKNOWN' });
  });

  it("`a`'s tag list does not reuse the child's details from `b`: its index rows say a child is missing", async () => {
    const rows = await getJson<TagsResponse>(`/api/sources/reg/repositories/a/-/tags`);
    expect(rows.status).toBe(200);
    for (const { tag, kept } of [viaManifestPage, viaTagList]) {
      const row = rows.body.tags.find((r) => r.name === tag);
      expect(row?.manifestKind).toBe('index');
      expect(row?.error).toMatchObject({ code: 'MANIFEST_UNKNOWN' });
      expect(row?.error?.message).toContain('linux/arm64');
      // Only the image `a` still holds counts towards the size.
      expect(row?.size).toBe(kept.blobs.reduce((total, b) => total + b.descriptor.size, 0));
    }
  });

  it('the child is still there in `b`, and only there', async () => {
    const { shared } = viaManifestPage;
    const path = (repo: string) => `/api/sources/reg/repositories/${repo}/-/manifests/${shared.manifest.descriptor.digest}`;
    expect((await getJson(path('b'))).status).toBe(200);
    expect((await getJson(path('a'))).status).toBe(404);
  });
});

describe('the price of per-repository details', () => {
  it('the same index in a second repository costs one existence check per child and per config, and no download', async () => {
    const first = await getJson<TagsResponse>(`/api/sources/counted/repositories/c/-/tags`);
    expect(first.body.tags[0]).toMatchObject({ name: 'v1', manifestKind: 'index', platforms: ['linux/amd64', 'linux/arm64'] });
    expect(first.body.tags[0]?.error).toBeUndefined();
    proxy.reset();

    const second = await getJson<TagsResponse>(`/api/sources/counted/repositories/d/-/tags`);
    expect(second.body.tags[0]).toEqual(first.body.tags[0]);
    // The tag list and the tag read, as for any repository; then each child and its config are checked in `d`
    // (HEAD), their bytes coming from the content cache (a config is present only where the registry answered it:
    // config-presence.integration.test.ts).
    expect(proxy.counts().byClass).toEqual({ 'GET tags': 1, 'GET manifest': 1, 'HEAD manifest': 2, 'HEAD blob': 2 });
  });
});
