/**
 * Test builders: small images, indexes and artifacts made from strings, with exact bytes and descriptors,
 * plus `pushBuilt` to push one (children, blobs, then the manifest) through any Registry. Deterministic:
 * the same inputs give the same digests. Pure (no Node imports), so any test can use them.
 */
import { digestOf } from '@/lib/registry/testing/digest';
import { EMPTY_BLOB_DIGEST, MediaType } from '@/lib/oci/media-types';
import type { Descriptor, Platform } from '@/lib/oci/types';
import type { Registry } from '@/lib/registry/registry';

/** A blob with its bytes and descriptor. */
export interface BuiltBlob {
  descriptor: Descriptor;
  bytes: Uint8Array;
}

/** A manifest with its exact bytes, its descriptor and its JSON document. */
export interface BuiltManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
  /** The manifest's media type (what `pushManifest` is called with). */
  mediaType: string;
  json: Record<string, unknown>;
}

/** Something pushable: a manifest, the blobs it needs and the child manifests (pushed first) it lists. */
export interface Built {
  manifest: BuiltManifest;
  blobs: BuiltBlob[];
  children: Built[];
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (bytes pass through). */
export function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? encoder.encode(content) : content;
}

/** A blob of `content` with media type `mediaType` (default: OCI tar layer). */
export function blob(content: string | Uint8Array, mediaType: string = MediaType.OciLayer): BuiltBlob {
  const bytes = bytesOf(content);
  return { bytes, descriptor: { mediaType, digest: digestOf(bytes), size: bytes.byteLength } };
}

/** The 2-byte `{}` empty blob (config and layer of artifacts). */
export function emptyBlob(): BuiltBlob {
  const built = blob('{}', MediaType.OciEmpty);
  if (built.descriptor.digest !== EMPTY_BLOB_DIGEST) throw new Error('empty blob digest mismatch');
  return built;
}

/** A manifest from a JSON document (serialised compactly, like most tools). */
export function manifestOf(json: Record<string, unknown>, mediaType: string): BuiltManifest {
  const bytes = encoder.encode(JSON.stringify(json));
  return { bytes, mediaType, json, descriptor: { mediaType, digest: digestOf(bytes), size: bytes.byteLength } };
}

export interface ImageOptions {
  /** Layer contents (default one layer named after the config). */
  layers?: string[];
  /** Config content: an object (serialised) or a string; defaults to a small image config. */
  config?: Record<string, unknown> | string;
  platform?: Platform;
  /** OCI (default) or Docker schema2 media types. */
  format?: 'oci' | 'docker';
  annotations?: Record<string, string>;
  subject?: Descriptor;
  artifactType?: string;
  /** Makes otherwise equal images distinct (goes into the config). */
  seed?: string;
}

/** An image: config + layers + manifest. */
export function image(options: ImageOptions = {}): Built {
  const docker = options.format === 'docker';
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const config =
    typeof options.config === 'string'
      ? options.config
      : JSON.stringify(
          options.config ?? {
            architecture: platform.architecture,
            os: platform.os,
            ...(platform.variant ? { variant: platform.variant } : {}),
            config: { Labels: { seed: options.seed ?? 'image' } },
            rootfs: { type: 'layers', diff_ids: [] },
          },
        );
  const configBlob = blob(config, docker ? MediaType.DockerConfig : MediaType.OciConfig);
  const layerType = docker ? MediaType.DockerLayerGzip : MediaType.OciLayer;
  const layers = (options.layers ?? [`layer of ${options.seed ?? 'image'}`]).map((content) => blob(content, layerType));
  const mediaType = docker ? MediaType.DockerManifest : MediaType.OciManifest;
  const json: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    config: configBlob.descriptor,
    layers: layers.map((layer) => layer.descriptor),
    ...(options.subject ? { subject: options.subject } : {}),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  return { manifest: manifestOf(json, mediaType), blobs: uniqueBlobs([configBlob, ...layers]), children: [] };
}

export interface IndexOptions {
  format?: 'oci' | 'docker';
  annotations?: Record<string, string>;
  subject?: Descriptor;
  artifactType?: string;
}

/** An index (or Docker manifest list) of `children`; a child's platform comes from its image config. */
export function index(children: readonly (Built | { built: Built; platform?: Platform; annotations?: Record<string, string> })[], options: IndexOptions = {}): Built {
  const mediaType = options.format === 'docker' ? MediaType.DockerManifestList : MediaType.OciIndex;
  const entries = children.map((child) => ('built' in child ? child : { built: child, platform: undefined, annotations: undefined }));
  const json: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    manifests: entries.map(({ built, platform, annotations }) => ({
      ...built.manifest.descriptor,
      ...(platform ? { platform } : {}),
      ...(annotations ? { annotations } : {}),
    })),
    ...(options.subject ? { subject: options.subject } : {}),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  return { manifest: manifestOf(json, mediaType), blobs: [], children: entries.map((entry) => entry.built) };
}

export interface ArtifactOptions {
  subject?: Descriptor;
  /** The manifest's artifactType; omit it (and set `configMediaType`) for an old-style artifact. */
  artifactType?: string;
  /** Config media type; default the empty type `application/vnd.oci.empty.v1+json` with the `{}` blob. */
  configMediaType?: string;
  annotations?: Record<string, string>;
  /** Layer contents (default one empty `{}` layer). */
  layers?: string[];
  layerMediaType?: string;
}

/** An artifact manifest (OCI image manifest with artifactType), typically with a subject. */
export function artifact(options: ArtifactOptions = {}): Built {
  const empty = emptyBlob();
  const configBlob = options.configMediaType ? blob('{}', options.configMediaType) : empty;
  const layers = options.layers
    ? options.layers.map((content) => blob(content, options.layerMediaType ?? 'application/octet-stream'))
    : [empty];
  const json: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    config: configBlob.descriptor,
    layers: layers.map((layer) => layer.descriptor),
    ...(options.subject ? { subject: options.subject } : {}),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  return { manifest: manifestOf(json, MediaType.OciManifest), blobs: uniqueBlobs([configBlob, ...layers]), children: [] };
}

function uniqueBlobs(blobs: BuiltBlob[]): BuiltBlob[] {
  const seen = new Set<string>();
  return blobs.filter((b) => !seen.has(b.descriptor.digest) && seen.add(b.descriptor.digest));
}

/** Every blob of `built` and its children, each once. */
export function allBlobs(built: Built): BuiltBlob[] {
  return uniqueBlobs([...built.children.flatMap(allBlobs), ...built.blobs]);
}

/** Pushes `built`: children (by digest), its blobs, then its manifest (to `tag` when given). */
export async function pushBuilt(registry: Registry, repo: string, built: Built, options: { tag?: string } = {}): Promise<Descriptor> {
  for (const child of built.children) await pushBuilt(registry, repo, child);
  for (const b of built.blobs) await registry.pushBlob(repo, b.descriptor, b.bytes);
  return registry.pushManifest(repo, built.manifest.bytes, built.manifest.mediaType, options.tag === undefined ? {} : { tag: options.tag });
}

/** Descriptor of a built manifest, for use as a `subject`. */
export function subjectOf(built: Built): Descriptor {
  const { mediaType, digest, size } = built.manifest.descriptor;
  return { mediaType, digest, size };
}
