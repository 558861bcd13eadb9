/**
 * An image's merged filesystem is a fact about where it was read, not only about its digest: every layer must be
 * readable in the repository (and source) asked for. Real registries (docker-registry 2.8.2, deletes on) hold one
 * image of two layers in repositories `a` and `b` of registry `one` and in `a` of registry `two`; another tool then
 * deletes the second layer from `one`'s `b` and from `two`'s `a` (distribution keeps the other links). Once the
 * files of `one`'s `a` were listed, the same image in `b`, or in `a` of the other source, must still answer that
 * a layer is missing there — never `a`'s listing. The platform an index chose is part of the answer too.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, tarData, tarHeader } from '@/lib/layers/testing/tar-header';
import { MediaType } from '@/lib/oci/media-types';
import { createHttpRegistry } from '@/lib/registry/http';
import type { Registry } from '@/lib/registry/registry';
import { blob, index, manifestOf, pushBuilt, type Built } from '@/lib/registry/testing/build';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import type { ImageListing } from './image-files-service';
import { setConfigForTests } from './sources';
import { endApiTest } from './testing/api-teardown';
import { getJson } from './testing/test-api';
import { configOf } from './testing/test-support';

let one: RunningRegistry;
let two: RunningRegistry;
let dir: string;
const previousDataDir = process.env.PORTHOLE_DATA_DIR;

/** A plain tar layer holding one file. */
function layer(name: string, content: string) {
  const body = new TextEncoder().encode(content);
  const tar = concatBytes([tarHeader({ name, type: '0', size: body.length }), tarData(body), new Uint8Array(1024)]);
  return blob(tar, MediaType.OciLayer);
}

const config = blob(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }), MediaType.OciConfig);
const base = layer('shared.txt', 'in every repository\n');
const top = layer('only-here.txt', 'deleted from some\n');
const img: Built = {
  manifest: manifestOf({ schemaVersion: 2, mediaType: MediaType.OciManifest, config: config.descriptor, layers: [base.descriptor, top.descriptor] }, MediaType.OciManifest),
  blobs: [config, base, top],
  children: [],
};
const digest = img.manifest.descriptor.digest;
const list = index([{ built: img, platform: { os: 'linux', architecture: 'amd64' } }]);

const files = (source: string, repo: string, reference: string, query = '') => getJson<ImageListing>(`/api/sources/${source}/repositories/${repo}/-/manifests/${reference}/files${query}`);
const code = (body: unknown) => (body as { errors: { code: string }[] }).errors[0]?.code;

async function withSeed(registry: RunningRegistry, work: (seed: Registry) => Promise<void>): Promise<void> {
  const seed = createHttpRegistry({ url: registry.url, name: 'seed' });
  try {
    await work(seed);
  } finally {
    await seed.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-image-files-scope-'));
  process.env.PORTHOLE_DATA_DIR = join(dir, 'data');
  [one, two] = await Promise.all([startRegistry({ delete: true }), startRegistry({ delete: true })]);
  await withSeed(one, async (seed) => {
    for (const repo of ['a', 'b']) await pushBuilt(seed, repo, img, { tag: 'v1' });
    await pushBuilt(seed, 'c', list, { tag: 'multi' });
    // Another tool deletes the second layer from `b` only.
    await seed.deleteBlob('b', top.descriptor.digest);
  });
  await withSeed(two, async (seed) => {
    await pushBuilt(seed, 'a', img, { tag: 'v1' });
    await seed.deleteBlob('a', top.descriptor.digest);
  });
  await setConfigForTests(
    configOf({
      sources: [
        { name: 'one', url: one.url },
        { name: 'two', url: two.url },
      ],
    }),
  );
}, 120_000);

afterAll(async () => {
  await endApiTest({ registry: one, dir, previousDataDir });
  await two?.stop();
});

describe("an image's files are not served from another repository's or source's reading", () => {
  it("after `a`'s files were listed, `b` (which lost a layer) says the layer is missing", async () => {
    const inA = await files('one', 'a', 'v1');
    expect(inA.status).toBe(200);
    expect(inA.body.manifest).toBe(digest);
    expect(inA.body.entries.map((e) => e.path).sort()).toEqual(['only-here.txt', 'shared.txt']);

    const inB = await files('one', 'b', 'v1');
    expect(inB.status).toBe(404);
    expect(code(inB.body)).toBe('BLOB_UNKNOWN');
    // `a` is unchanged, and still answered.
    expect((await files('one', 'a', 'v1')).status).toBe(200);
  });

  it("after `one`'s `a` was listed, `a` of another source (which lost a layer) says the layer is missing", async () => {
    expect((await files('one', 'a', digest)).status).toBe(200);
    const other = await files('two', 'a', digest);
    expect(other.status).toBe(404);
    expect(code(other.body)).toBe('BLOB_UNKNOWN');
  });

  it('the platform chosen through an index is told only for that request, not for the image read by digest', async () => {
    const viaIndex = await files('one', 'c', 'multi', '?platform=linux/amd64');
    expect(viaIndex.status).toBe(200);
    expect(viaIndex.body).toMatchObject({ manifest: digest, platform: 'linux/amd64' });

    const byDigest = await files('one', 'c', digest);
    expect(byDigest.status).toBe(200);
    expect(byDigest.body.manifest).toBe(digest);
    expect(byDigest.body.platform).toBeUndefined();
    expect(byDigest.body.entries.map((e) => e.path).sort()).toEqual(['only-here.txt', 'shared.txt']);
  });
});
