/**
 * Writes demo content through the {@link RegistryWriter} interface: layers (real tar+gzip), image configs
 * with history, OCI and Docker manifests, indexes with BuildKit-style attestation manifests, and artifacts
 * attached as referrers via `subject`. Everything derives from arguments and a seeded PRNG, never the clock.
 *
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/manifest.md
 * @see https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md
 */
import 'server-only';
import { Annotation, MediaType } from '@/lib/oci/media-types';
import type { Descriptor, ImageConfig, Platform } from '@/lib/oci/types';
import { hashBytes } from '@/lib/registry/hash';
import type { RegistryWriter } from '@/lib/registry/registry';
import type { Prng } from './prng';
import { createTar, gzip, type TarEntry } from './tar';
import { zstdFrame } from './zstd';

const encoder = new TextEncoder();

/** Canonical-enough JSON bytes (insertion order; generated objects are built in a fixed order). */
export function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** One build step: a history entry, and a layer when `files` is given. */
export interface Step {
  createdBy: string;
  /** Files of the layer this step adds (path → content). Omitted: an empty_layer step (ENV, CMD, …). */
  files?: TarEntry[];
  comment?: string;
  /**
   * Layer file mtime (ISO 8601); default the step's history time. Give a fixed time to steps a build cache
   * would reuse (package installs), so their layer is shared across images like BuildKit's would be.
   */
  mtime?: string;
  /** Layer compression (default gzip); `zstd` needs OCI media types. */
  compression?: 'gzip' | 'zstd';
}

/** A base image: its steps are shared by every image built on it (same layers, same digests). */
export interface BaseImage {
  /** Reference used in annotations (`org.opencontainers.image.base.name`). */
  name: string;
  created: string;
  steps(platform: Platform): Step[];
}

export interface ImageOptions {
  platform: Platform;
  /** Creation time of the image (ISO 8601); steps get times shortly before it. */
  created: string;
  /** OCI (default) or Docker schema2 media types. */
  format?: 'oci' | 'docker';
  base: BaseImage;
  steps: Step[];
  config: NonNullable<ImageConfig['config']>;
  author?: string;
  annotations?: Record<string, string>;
  /** Manifest tag; without it the image is pushed by digest only. */
  tag?: string;
}

export interface BuiltImage {
  /** Manifest descriptor with `platform` set (as listed in an index). */
  descriptor: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ArtifactLayer {
  mediaType: string;
  content: string | Uint8Array;
  annotations?: Record<string, string>;
}

export interface ArtifactOptions {
  artifactType: string;
  layers: ArtifactLayer[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
  /** Config descriptor type; default the empty descriptor (`application/vnd.oci.empty.v1+json`). */
  config?: { mediaType: string; content: string | Uint8Array };
  tag?: string;
}

interface BuiltLayer {
  bytes: Uint8Array;
  digest: string;
  diffId: string;
}

/** Seconds before `iso`, as ISO 8601 without milliseconds. */
export function minus(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) - seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function platformString(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Writes content into one registry, pushing each blob once per repository. */
export class DemoBuilder {
  /** Blob pushes by `repo@digest`; concurrent builders wait for the same push instead of racing it. */
  private readonly pushed = new Map<string, Promise<unknown>>();
  private readonly layerCache = new Map<string, BuiltLayer>();
  /** The same layers by file-list identity and mtime: base layers (hundreds of entries) are built once. */
  private readonly layersByFiles = new WeakMap<readonly TarEntry[], Map<string, BuiltLayer>>();
  /** Manifest bytes by digest, to push the same manifest again under another tag. */
  private readonly manifests = new Map<string, { bytes: Uint8Array; mediaType: string }>();
  /** Tags pushed, `repo:tag` → digest (the last push wins, like a registry). */
  readonly tags = new Map<string, string>();
  manifestCount = 0;
  blobCount = 0;

  constructor(
    private readonly registry: RegistryWriter,
    readonly rng: Prng,
  ) {}

  /** Pushes a blob unless this repository already got it. */
  async blob(repo: string, bytes: Uint8Array, mediaType: string, annotations?: Record<string, string>): Promise<Descriptor> {
    const digest = hashBytes(bytes);
    const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
    const key = `${repo}@${digest}`;
    let push = this.pushed.get(key);
    if (!push) {
      this.blobCount++;
      push = this.registry.pushBlob(repo, descriptor, bytes);
      this.pushed.set(key, push);
    }
    await push;
    return annotations ? { ...descriptor, annotations } : descriptor;
  }

  /** Pushes a manifest (by digest, and by `tag` when given). */
  async manifest(repo: string, document: object, mediaType: string, tag?: string): Promise<Descriptor> {
    const bytes = jsonBytes(document);
    const digest = hashBytes(bytes);
    if (!this.manifests.has(digest)) this.manifestCount++;
    this.manifests.set(digest, { bytes, mediaType });
    await this.registry.pushManifest(repo, bytes, mediaType, tag ? { tag } : {});
    if (tag) this.tags.set(`${repo}:${tag}`, digest);
    return { mediaType, digest, size: bytes.length };
  }

  /** Points another tag at a manifest this builder pushed to `repo`. */
  async tag(repo: string, digest: string, tag: string): Promise<void> {
    const manifest = this.manifests.get(digest);
    if (!manifest) throw new Error(`demo: unknown manifest ${digest}`);
    await this.registry.pushManifest(repo, manifest.bytes, manifest.mediaType, { tag });
    this.tags.set(`${repo}:${tag}`, digest);
  }

  /**
   * A compressed tar layer of `files`, cached by the tar's digest so equal steps share a layer across images
   * (and are compressed once), and by the file list's identity so base layers are not even rebuilt.
   */
  private layer(files: TarEntry[], mtime: number, compression: 'gzip' | 'zstd'): BuiltLayer {
    const variant = `${mtime}/${compression}`;
    let byFiles = this.layersByFiles.get(files);
    const known = byFiles?.get(variant);
    if (known) return known;
    const tar = createTar(files, mtime);
    const diffId = hashBytes(tar);
    const key = `${diffId}/${compression}`;
    let cached = this.layerCache.get(key);
    if (!cached) {
      const bytes = compression === 'zstd' ? zstdFrame(tar) : gzip(tar);
      cached = { bytes, digest: hashBytes(bytes), diffId };
      this.layerCache.set(key, cached);
    }
    if (!byFiles) this.layersByFiles.set(files, (byFiles = new Map()));
    byFiles.set(variant, cached);
    return cached;
  }

  /** Builds and pushes one platform image: layers, config with history, manifest. */
  async image(repo: string, options: ImageOptions): Promise<BuiltImage> {
    const docker = options.format === 'docker';
    const layerType = docker ? MediaType.DockerLayerGzip : MediaType.OciLayerGzip;
    const baseSteps = options.base.steps(options.platform);
    const steps = [...baseSteps, ...options.steps];
    const diffIds: string[] = [];
    const history: NonNullable<ImageConfig['history']> = [];
    steps.forEach((step, i) => {
      const isBase = i < baseSteps.length;
      const created = isBase ? minus(options.base.created, (baseSteps.length - i) * 7) : minus(options.created, (steps.length - i) * 11);
      const entry: NonNullable<ImageConfig['history']>[number] = { created, created_by: step.createdBy };
      if (step.comment) entry.comment = step.comment;
      if (!step.files) entry.empty_layer = true;
      history.push(entry);
    });
    const pushes: Promise<Descriptor>[] = [];
    for (const [i, step] of steps.entries()) {
      if (!step.files) continue;
      const mtime = Math.floor(Date.parse(step.mtime ?? history[i]!.created!) / 1000);
      if (step.compression === 'zstd' && docker) throw new Error('demo: Docker images have no zstd layers');
      const layer = this.layer(step.files, mtime, step.compression ?? 'gzip');
      pushes.push(this.blob(repo, layer.bytes, step.compression === 'zstd' ? MediaType.OciLayerZstd : layerType));
      diffIds.push(layer.diffId);
    }
    const config: ImageConfig = {
      created: options.created,
      ...(options.author ? { author: options.author } : {}),
      architecture: options.platform.architecture,
      os: options.platform.os,
      ...(options.platform.variant ? { variant: options.platform.variant } : {}),
      config: options.config,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history,
    };
    // Layers and config upload concurrently (as clients do); the manifest goes up once they all exist.
    const [configDescriptor, ...layers] = await Promise.all([
      this.blob(repo, jsonBytes(config), docker ? MediaType.DockerConfig : MediaType.OciConfig),
      ...pushes,
    ]);
    const manifestType = docker ? MediaType.DockerManifest : MediaType.OciManifest;
    const manifest = {
      schemaVersion: 2,
      mediaType: manifestType,
      config: configDescriptor,
      layers,
      ...(options.annotations && !docker ? { annotations: options.annotations } : {}),
    };
    const descriptor = await this.manifest(repo, manifest, manifestType, options.tag);
    return { descriptor: { ...descriptor, platform: options.platform }, config: configDescriptor!, layers };
  }

  /**
   * A BuildKit attestation manifest for `image`: in-toto SPDX SBOM and SLSA provenance layers, config of
   * platform unknown/unknown; returned as the index entry BuildKit writes (annotated with the image digest).
   */
  async attestation(repo: string, image: BuiltImage, info: { name: string; version: string; created: string; revision: string }): Promise<Descriptor> {
    const subject = [{
      name: `pkg:docker/${repo}@${info.version}?platform=${encodeURIComponent(platformString(image.descriptor.platform!))}`,
      digest: { sha256: image.descriptor.digest.slice(7) },
    }];
    const sbom = {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://spdx.dev/Document',
      subject,
      predicate: spdxDocument(`${repo}:${info.version}`, info.created, this.rng.fork(`${image.descriptor.digest}/sbom`)),
    };
    const provenance = {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject,
      predicate: {
        builder: { id: 'https://github.com/example/porthole-demo/actions/runs/1' },
        buildType: 'https://mobyproject.org/buildkit@v1',
        materials: [{ uri: 'pkg:docker/alpine@3.21?platform=' + encodeURIComponent(platformString(image.descriptor.platform!)), digest: { sha256: image.layers[0]?.digest.slice(7) ?? '' } }],
        invocation: { configSource: { entryPoint: 'Dockerfile' }, parameters: { frontend: 'dockerfile.v0' } },
        metadata: { buildStartedOn: minus(info.created, 95), buildFinishedOn: info.created, reproducible: false },
      },
    };
    const layers = await Promise.all([
      this.blob(repo, jsonBytes(sbom), MediaType.InTotoLayer, { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' }),
      this.blob(repo, jsonBytes(provenance), MediaType.InTotoLayer, { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' }),
    ]);
    const config = {
      architecture: 'unknown',
      os: 'unknown',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    };
    const configDescriptor = await this.blob(repo, jsonBytes(config), MediaType.OciConfig);
    const manifest = { schemaVersion: 2, mediaType: MediaType.OciManifest, config: configDescriptor, layers };
    const descriptor = await this.manifest(repo, manifest, MediaType.OciManifest);
    return {
      ...descriptor,
      annotations: {
        [Annotation.DockerReferenceDigest]: image.descriptor.digest,
        [Annotation.DockerReferenceType]: 'attestation-manifest',
      },
      platform: { architecture: 'unknown', os: 'unknown' },
    };
  }

  /** An OCI index (or Docker manifest list) of `entries` (children must already be pushed). */
  async index(repo: string, entries: Descriptor[], options: { docker?: boolean; annotations?: Record<string, string>; tag?: string } = {}): Promise<Descriptor> {
    const mediaType = options.docker ? MediaType.DockerManifestList : MediaType.OciIndex;
    const document = {
      schemaVersion: 2,
      mediaType,
      manifests: entries,
      ...(options.annotations && !options.docker ? { annotations: options.annotations } : {}),
    };
    return this.manifest(repo, document, mediaType, options.tag);
  }

  /** An artifact manifest (empty config unless given), with `subject` when it refers to another manifest. */
  async artifact(repo: string, options: ArtifactOptions): Promise<Descriptor> {
    const config = options.config
      ? await this.blob(repo, typeof options.config.content === 'string' ? encoder.encode(options.config.content) : options.config.content, options.config.mediaType)
      : await this.blob(repo, encoder.encode('{}'), MediaType.OciEmpty);
    const layers: Descriptor[] = [];
    for (const layer of options.layers) {
      const bytes = typeof layer.content === 'string' ? encoder.encode(layer.content) : layer.content;
      layers.push(await this.blob(repo, bytes, layer.mediaType, layer.annotations));
    }
    const manifest = {
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      artifactType: options.artifactType,
      config,
      layers,
      ...(options.subject ? { subject: { mediaType: options.subject.mediaType, digest: options.subject.digest, size: options.subject.size } } : {}),
      ...(options.annotations ? { annotations: options.annotations } : {}),
    };
    return this.manifest(repo, manifest, MediaType.OciManifest, options.tag);
  }
}

/** A small SPDX 2.3 document with a few pseudo-random packages. */
export function spdxDocument(name: string, created: string, rng: Prng): object {
  const packages = ['musl', 'busybox', 'ca-certificates', 'openssl', 'zlib', 'libcrypto3', 'apk-tools', 'tzdata'];
  const chosen = packages.filter(() => rng.chance(0.6));
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `https://example.com/spdx/${name.replace(/[^a-z0-9]+/gi, '-')}-${rng.hex(8)}`,
    creationInfo: { created, creators: ['Tool: syft-v1.18.1'] },
    packages: chosen.map((pkg, i) => ({
      name: pkg,
      SPDXID: `SPDXRef-Package-${i}`,
      versionInfo: `${rng.int(1, 3)}.${rng.int(0, 20)}.${rng.int(0, 9)}-r${rng.int(0, 4)}`,
      downloadLocation: 'NOASSERTION',
      licenseConcluded: rng.pick(['MIT', 'GPL-2.0-only', 'Apache-2.0', 'OpenSSL', 'Zlib']),
    })),
  };
}
