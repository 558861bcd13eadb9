/**
 * Builds small images with a chosen config `created` time and pushes them through any `Registry` (memory in
 * unit tests, the HTTP client against a real docker-registry in integration tests), for cleanup tests:
 * dated CI tags, releases, aliases sharing a digest, shared layers, multi-platform indexes and referrers.
 * Layers are small byte strings: registries do not look inside them.
 */
import { digestOf } from '@/lib/registry/testing/digest';
import { MediaType } from '@/lib/oci/media-types';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Platform } from '@/lib/oci/types';
import type { RegistryWriter } from '@/lib/registry/registry';

export interface SeedImage {
  /** Tags pointing at the image (aliases share its digest). May be empty (pushed by digest). */
  tags: string[];
  /** Config `created`; null leaves it out. */
  created: string | null;
  /** Layer contents; equal strings are the same blob (shared layers). Default: one layer unique to the image. */
  layers?: string[];
  /** Several platforms make an OCI index of one image per platform. */
  platforms?: Platform[];
  /** Makes otherwise identical images differ. */
  seed?: string;
}

export interface SeededImage {
  descriptor: Descriptor;
  /** Every blob (configs, layers) with its size. */
  blobs: Descriptor[];
  /** Platform manifests of an index (empty for a plain image). */
  children: Descriptor[];
}

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

async function putBlob(registry: RegistryWriter, repo: string, bytes: Uint8Array, mediaType: string): Promise<Descriptor> {
  const descriptor = { mediaType, digest: digestOf(bytes), size: bytes.length };
  await registry.pushBlob(repo, descriptor, bytes);
  return descriptor;
}

async function pushPlatformImage(
  registry: RegistryWriter,
  repo: string,
  spec: SeedImage,
  platform: Platform,
): Promise<{ descriptor: Descriptor; bytes: Uint8Array; blobs: Descriptor[] }> {
  const layerTexts = spec.layers ?? [`layer of ${spec.seed ?? spec.tags.join(',')} ${spec.created ?? 'undated'}`];
  const layers: Descriptor[] = [];
  for (const text of layerTexts) {
    layers.push(await putBlob(registry, repo, new TextEncoder().encode(`${text} ${platform.os}/${platform.architecture}`), MediaType.OciLayer));
  }
  const config: ImageConfig = {
    architecture: platform.architecture,
    os: platform.os,
    ...(spec.created ? { created: spec.created } : {}),
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    config: { Labels: { 'porthole.test.seed': spec.seed ?? spec.tags.join(',') } },
  };
  const configDescriptor = await putBlob(registry, repo, encode(config), MediaType.OciConfig);
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaType.OciManifest, config: configDescriptor, layers };
  const bytes = encode(manifest);
  const descriptor = await registry.pushManifest(repo, bytes, MediaType.OciManifest);
  return { descriptor, bytes, blobs: [configDescriptor, ...layers] };
}

/** Pushes one image (or index) and points its tags at it. */
export async function pushImage(registry: RegistryWriter, repo: string, spec: SeedImage): Promise<SeededImage> {
  const blobs: Descriptor[] = [];
  const children: Descriptor[] = [];
  let top: { descriptor: Descriptor; bytes: Uint8Array; mediaType: string };
  if (!spec.platforms) {
    const image = await pushPlatformImage(registry, repo, spec, { os: 'linux', architecture: 'amd64' });
    blobs.push(...image.blobs);
    top = { descriptor: image.descriptor, bytes: image.bytes, mediaType: MediaType.OciManifest };
  } else {
    for (const platform of spec.platforms) {
      const image = await pushPlatformImage(registry, repo, spec, platform);
      blobs.push(...image.blobs);
      children.push({ mediaType: image.descriptor.mediaType, digest: image.descriptor.digest, size: image.descriptor.size, platform });
    }
    const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: children };
    const bytes = encode(index);
    top = { descriptor: await registry.pushManifest(repo, bytes, MediaType.OciIndex), bytes, mediaType: MediaType.OciIndex };
  }
  // A registry points a tag at a digest only through a manifest PUT: push the same bytes once per tag.
  for (const tag of spec.tags) await registry.pushManifest(repo, top.bytes, top.mediaType, { tag });
  return { descriptor: top.descriptor, blobs, children };
}

/** Pushes an artifact (e.g. a signature) whose `subject` is `subject`, by digest, optionally tagged. */
export async function pushReferrer(
  registry: RegistryWriter,
  repo: string,
  subject: Descriptor,
  artifactType: string,
  payload: string,
  tag?: string,
): Promise<Descriptor> {
  const empty = await putBlob(registry, repo, new TextEncoder().encode('{}'), MediaType.OciEmpty);
  const layer = await putBlob(registry, repo, new TextEncoder().encode(payload), 'application/octet-stream');
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    artifactType,
    config: empty,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
  };
  return registry.pushManifest(repo, encode(manifest), MediaType.OciManifest, tag === undefined ? {} : { tag });
}
