/**
 * Assertions that a registry serves exactly what an OCI layout holds (after `loadLayoutInto`, or when the
 * registry reads the layout directly): tags, manifest bytes, blobs and referrers. Plus `copyLayout`, a
 * writable copy of a read-only fixture.
 */
import { chmod, cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { digestOf } from '@/lib/registry/testing/digest';
import { INDEX_MEDIA_TYPES } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { collect } from '@/lib/registry/iter';
import type { Registry } from '@/lib/registry/registry';
import { readStream } from './contract';
import { readLayoutBlob, type LayoutContent } from './load-layout';

/** Copies a layout (or a folder of layouts) and makes the copy writable (fixtures are checked in read-only). */
export async function copyLayout(source: string, target: string): Promise<void> {
  await cp(source, target, { recursive: true });
  const fix = async (dir: string): Promise<void> => {
    await chmod(dir, 0o755);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await fix(path);
      else if (entry.isFile()) await chmod(path, 0o644);
    }
  };
  await fix(target);
}

/** Every tag resolves to the layout's digest and its bytes hash to it; every manifest and blob reads back identical. */
export async function expectLayoutServed(registry: Registry, repo: string, content: LayoutContent): Promise<void> {
  const tags = [...content.tags.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  expect(await collect(registry.listTags(repo))).toEqual(tags);
  for (const [tag, entry] of content.tags) {
    const resolved = await registry.resolveTag(repo, tag);
    expect(resolved.digest, `tag ${tag}`).toBe(entry.digest);
    const got = await registry.getTag(repo, tag);
    expect(digestOf(got.bytes), `bytes of tag ${tag}`).toBe(entry.digest);
    expect(got.descriptor.mediaType, `media type of tag ${tag}`).toBe(content.manifests.get(entry.digest)?.descriptor.mediaType);
  }
  for (const [digest, manifest] of content.manifests) {
    const got = await registry.getManifest(repo, digest);
    expect(got.bytes, `manifest ${digest}`).toEqual(manifest.bytes);
    expect(got.descriptor).toMatchObject({ digest, size: manifest.bytes.byteLength, mediaType: manifest.descriptor.mediaType });
  }
  for (const [digest, descriptor] of content.blobs) {
    const got = await registry.getBlob(repo, digest);
    expect(got.descriptor).toMatchObject({ digest, size: descriptor.size });
    expect(await readStream(got.body), `blob ${digest}`).toEqual(await readLayoutBlob(content.dir, digest));
  }
}

const FALLBACK_TAG = /^(sha256)-([0-9a-f]{64})$/;

const view = (d: Descriptor) => ({
  mediaType: d.mediaType,
  digest: d.digest,
  size: d.size,
  artifactType: d.artifactType,
  annotations: d.annotations,
});

/**
 * For every referrers fallback tag of the layout that holds an index, `listReferrers` of its subject lists
 * exactly that index's entries (digest, size, media type, artifactType, annotations). Returns the subjects checked.
 */
export async function expectReferrersMatchFallbackTags(registry: Registry, repo: string, content: LayoutContent): Promise<string[]> {
  const checked: string[] = [];
  for (const [tag, entry] of content.tags) {
    const match = FALLBACK_TAG.exec(tag);
    const fallback = content.manifests.get(entry.digest);
    if (!match || !fallback || !INDEX_MEDIA_TYPES.includes(fallback.descriptor.mediaType)) continue;
    const subject = `${match[1]}:${match[2]}`;
    const expected = (fallback.json.manifests as Descriptor[]).map(view).sort((a, b) => a.digest.localeCompare(b.digest));
    const listed = (await collect(registry.listReferrers(repo, subject))).map(view).sort((a, b) => a.digest.localeCompare(b.digest));
    expect(listed, `referrers of ${subject}`).toEqual(expected);
    checked.push(subject);
  }
  return checked;
}
