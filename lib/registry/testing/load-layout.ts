/**
 * Reads an OCI image layout directory (like the regclient fixture) and pushes it into any Registry through
 * the interface: blobs first, then every reachable manifest by digest with children before their parents,
 * then the tags. Used to seed the memory backend, a real distribution (via the HTTP backend) and the demo,
 * and to check round trips against what the layout holds.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/image-layout.md
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseDigest } from '@/lib/oci/digest';
import { digestOf } from '@/lib/registry/testing/digest';
import { Annotation, MANIFEST_MEDIA_TYPES, MediaType, baseMediaType } from '@/lib/oci/media-types';
import { isValidTag } from '@/lib/oci/reference';
import type { Descriptor, Digest } from '@/lib/oci/types';
import type { CallOptions, Registry } from '@/lib/registry/registry';

/** A manifest of the layout: exact bytes, its descriptor (media type from the body, else from its parent) and JSON. */
export interface LayoutManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
  json: Record<string, unknown>;
}

/** What a layout holds, as the loader sees it. */
export interface LayoutContent {
  dir: string;
  /** index.json as parsed. */
  index: { manifests: Descriptor[] } & Record<string, unknown>;
  /** Tag → index.json entry (ref.name, or the part after the last `:` of a full image name). */
  tags: Map<string, Descriptor>;
  /** Every manifest reachable from index.json through index children, in push order (children first). */
  manifests: Map<Digest, LayoutManifest>;
  /** Every blob (config, layer, non-manifest index entry) those manifests refer to and the layout holds. */
  blobs: Map<Digest, Descriptor>;
}

/** Path of a blob in a layout. */
export function layoutBlobPath(dir: string, digest: Digest): string {
  const { algorithm, encoded } = parseDigest(digest);
  return join(dir, 'blobs', algorithm, encoded);
}

/** Bytes of a blob (or manifest) of a layout. */
export async function readLayoutBlob(dir: string, digest: Digest): Promise<Uint8Array> {
  return new Uint8Array(await readFile(layoutBlobPath(dir, digest)));
}

/** The tag an index.json entry carries, if any. */
export function layoutTagOf(entry: Descriptor): string | undefined {
  const ref = entry.annotations?.[Annotation.RefName];
  if (!ref) return undefined;
  if (isValidTag(ref)) return ref;
  const suffix = ref.slice(ref.lastIndexOf(':') + 1);
  return ref.includes(':') && isValidTag(suffix) ? suffix : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function descriptors(value: unknown): Descriptor[] {
  return Array.isArray(value) ? value.filter((d): d is Descriptor => isObject(d) && typeof d.digest === 'string') : [];
}

/** Reads a layout: index.json, tags, every reachable manifest (verified against its digest) and the blobs they use. */
export async function readLayout(dir: string): Promise<LayoutContent> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as LayoutContent['index'];
  const tags = new Map<string, Descriptor>();
  for (const entry of descriptors(index.manifests)) {
    const tag = layoutTagOf(entry);
    if (tag !== undefined && !tags.has(tag)) tags.set(tag, entry);
  }
  const manifests = new Map<Digest, LayoutManifest>();
  const blobs = new Map<Digest, Descriptor>();
  const visiting = new Set<Digest>();

  const addBlob = async (descriptor: Descriptor) => {
    if (blobs.has(descriptor.digest)) return;
    const size = await stat(layoutBlobPath(dir, descriptor.digest)).then(
      (info) => info.size,
      () => undefined,
    );
    if (size === undefined) {
      // Foreign layers (with `urls`) are not part of a layout; anything else missing is a broken layout.
      if (descriptor.urls?.length) return;
      throw new Error(`layout ${dir} lacks blob ${descriptor.digest}`);
    }
    blobs.set(descriptor.digest, { mediaType: descriptor.mediaType, digest: descriptor.digest, size });
  };

  // Depth first, children before parents, so pushing in map order never refers to a missing child.
  const visit = async (descriptor: Descriptor): Promise<void> => {
    if (manifests.has(descriptor.digest) || visiting.has(descriptor.digest)) return;
    visiting.add(descriptor.digest);
    const bytes = await readLayoutBlob(dir, descriptor.digest);
    if (digestOf(bytes, parseDigest(descriptor.digest).algorithm === 'sha512' ? 'sha512' : 'sha256') !== descriptor.digest) {
      throw new Error(`manifest ${descriptor.digest} of layout ${dir} does not match its digest`);
    }
    const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const mediaType = typeof json.mediaType === 'string' ? json.mediaType : descriptor.mediaType;
    for (const child of descriptors(json.manifests)) {
      if (MANIFEST_MEDIA_TYPES.includes(baseMediaType(child.mediaType))) await visit(child);
      else await addBlob(child);
    }
    if (isObject(json.config)) await addBlob(json.config as unknown as Descriptor);
    for (const layer of descriptors(json.layers)) await addBlob(layer);
    if (Array.isArray(json.fsLayers)) {
      for (const layer of json.fsLayers as { blobSum?: string }[]) {
        if (typeof layer.blobSum === 'string') await addBlob({ mediaType: MediaType.DockerLayerGzip, digest: layer.blobSum, size: -1 });
      }
    }
    visiting.delete(descriptor.digest);
    manifests.set(descriptor.digest, { descriptor: { mediaType, digest: descriptor.digest, size: bytes.byteLength }, bytes, json });
  };
  for (const entry of descriptors(index.manifests)) await visit(entry);
  return { dir, index, tags, manifests, blobs };
}

/**
 * Pushes the layout at `layoutDir` into `repo` of `registry`: blobs (streamed), manifests by digest children
 * first, then one manifest push per tag. Returns what was read, for assertions.
 */
export async function loadLayoutInto(registry: Registry, repo: string, layoutDir: string, options: CallOptions = {}): Promise<LayoutContent> {
  const content = await readLayout(layoutDir);
  const call = options.signal ? { signal: options.signal } : {};
  for (const descriptor of content.blobs.values()) {
    const body = Readable.toWeb(createReadStream(layoutBlobPath(layoutDir, descriptor.digest))) as unknown as ReadableStream<Uint8Array>;
    await registry.pushBlob(repo, descriptor, body, call);
  }
  for (const manifest of content.manifests.values()) {
    await registry.pushManifest(repo, manifest.bytes, manifest.descriptor.mediaType, call);
  }
  for (const [tag, entry] of content.tags) {
    const manifest = content.manifests.get(entry.digest);
    if (!manifest) throw new Error(`tag ${tag} of layout ${layoutDir} points at a missing manifest`);
    await registry.pushManifest(repo, manifest.bytes, manifest.descriptor.mediaType, { ...call, tag });
  }
  return content;
}
