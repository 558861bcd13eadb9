/**
 * Seeds many tags into a harness registry quickly, through the raw push helpers (not Porthole's backend, so a
 * test never checks the client with itself), and reads tags back directly from the registry. Used by the
 * delete-concurrency tests: `images` distinct images, each pushed to several tags.
 */
import { MANIFEST_MEDIA_TYPES } from '@/lib/oci/media-types';
import { mapConcurrent } from '@/lib/registry/iter';
import { image } from './build';
import { pushBlob, pushManifest } from './push-layout-raw';
import { registryFetch } from './registry-fetch';
import type { RunningRegistry } from './registry-server';

type Target = Pick<RunningRegistry, 'url' | 'auth' | 'credentials'>;

export interface SeedTagsOptions {
  /** Distinct images (digests). */
  images: number;
  /** Tags per image: image `i` gets `tagsPer(i)` tags (shared digests when > 1). */
  tagsPer: (image: number) => number;
  /** Seed text, so two runs in one registry get distinct digests. */
  seed: string;
  /** Requests in flight while seeding (default 8). */
  concurrency?: number;
}

/**
 * Pushes the images (blobs, then the manifest by digest), then every tag. Tags are named `t<image>-<n>`.
 * Returns tag → digest.
 */
export async function seedTags(registry: Target, repo: string, options: SeedTagsOptions): Promise<Map<string, string>> {
  const concurrency = options.concurrency ?? 8;
  const built = Array.from({ length: options.images }, (_, i) => image({ seed: `${options.seed}-${i}` }));
  await mapConcurrent(built, concurrency, async (img) => {
    for (const b of img.blobs) await pushBlob(registry, repo, b.descriptor.digest, b.bytes);
    await pushManifest(registry, repo, img.manifest.descriptor.digest, img.manifest.bytes, img.manifest.mediaType);
  });
  const tags: { tag: string; index: number }[] = [];
  built.forEach((_, i) => {
    for (let n = 0; n < options.tagsPer(i); n++) tags.push({ tag: `t${i}-${n}`, index: i });
  });
  // Concurrent PUTs of distinct tags are safe on 2.8.2; only a tag walk (digest delete) racing them is not.
  await mapConcurrent(tags, concurrency, async ({ tag, index }) => {
    const img = built[index]!;
    await pushManifest(registry, repo, tag, img.manifest.bytes, img.manifest.mediaType);
  });
  return new Map(tags.map(({ tag, index }) => [tag, built[index]!.manifest.descriptor.digest]));
}

/** The digest `reference` resolves to in the registry itself, or null when it answers 404. */
export async function registryDigestOf(registry: Target, repo: string, reference: string): Promise<string | null> {
  const res = await registryFetch(registry, `/v2/${repo}/manifests/${reference}`, { method: 'HEAD', headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') } });
  await res.body?.cancel();
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`HEAD ${repo}:${reference}: ${res.status}`);
  return res.headers.get('docker-content-digest');
}

/** The repository's tags as the registry lists them (sorted; `tags: null` and an unknown repository give []). */
export async function registryTagList(registry: Target, repo: string): Promise<string[]> {
  const res = await registryFetch(registry, `/v2/${repo}/tags/list`);
  if (res.status === 404) {
    await res.body?.cancel();
    return [];
  }
  if (!res.ok) throw new Error(`tags/list ${repo}: ${res.status}`);
  const body = (await res.json()) as { tags: string[] | null };
  return (body.tags ?? []).sort();
}
