/**
 * Details of a manifest by digest, as the tags list needs them: size, created, platforms, attestations, the
 * kinds of an index's entries. Every registry request goes through the source's pool and every result is
 * cached by digest (content-addressed, so for good), with in-flight requests shared: a computation runs
 * under its own signal and is cancelled only when every request waiting for it has gone (shared-task.ts).
 *
 * Requests per digest, and no more: the manifest once (the tag's GET gives its bytes, so a tagged manifest
 * costs nothing extra), for an image its config blob once, for an index each platform child once and that
 * child's config once. Attestation children of an index are counted from their descriptors, never fetched.
 */
import 'server-only';
import type { ArtifactKind } from '@/lib/api/types';
import { artifactKind } from '@/lib/oci/artifact-kind';
import { RegistryError, type WireError } from '@/lib/oci/errors';
import {
  formatPlatform,
  isAttestationDescriptor,
  manifestReferences,
  parseImageConfig,
  parseManifest,
  type ManifestKind,
  type ParsedManifest,
} from '@/lib/oci/manifest';
import { Annotation, IMAGE_CONFIG_MEDIA_TYPES } from '@/lib/oci/media-types';
import type { Descriptor, Digest, DockerSchema1Manifest, ImageManifest } from '@/lib/oci/types';
import type { ManifestContent, Registry } from '@/lib/registry/registry';
import type { Lru } from '@/lib/registry/lru';
import type { Limiter } from '@/lib/registry/limiter';
import { readBlobBytes } from '@/lib/registry/blob-bytes';
import { sharedMemo, type SharedTask } from './shared-task';

/** Config blobs larger than this are not read (4 MiB, as the largest manifest registries accept). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Nested indexes are followed this deep for sizes (an index of indexes is rare; loops are impossible by hash). */
const MAX_INDEX_DEPTH = 2;

export interface ManifestDetails {
  digest: Digest;
  mediaType: string;
  kind: ManifestKind;
  /** Config + layers; an index: the sum of its platform images. Null when unknown. */
  size: number | null;
  created: string | null;
  platforms: string[];
  artifactType?: string;
  subject?: Digest;
  /** Index: number of attestation entries, by kind. */
  attestations?: Partial<Record<ArtifactKind, number>>;
  /** Index: the artifact kind of each entry (used when the index is a referrers fallback index). */
  entryKinds?: ArtifactKind[];
  /** Index: the digest of each entry, in the order of `entryKinds` (a referrer seen twice is counted once). */
  entryDigests?: Digest[];
  /** Set when part of the details could not be read (a missing child, an unreadable config). */
  error?: WireError;
}

export interface ConfigBrief {
  created: string | null;
  platform: string;
}

/**
 * Details by digest as shared tasks (`shared-task.ts`): content-addressed, so they never go stale (bounded by
 * LRU, see `cache.ts`). Keys: {@link manifestDetailsKey} manifest details, {@link configKey} config briefs (`c:`)
 * and, kept by their modules, image configs of the manifest page (`ic:`, same scheme) and `plan-index:<digest>`
 * delete-plan lists (per digest on purpose: see `listedBy` in delete-plan.ts).
 */
export type DetailsCache = Lru<string, SharedTask<unknown>>;

/**
 * The key of a manifest's details: per repository as well as digest. Details are computed from content, but they
 * also say what could be read where: an index's details hold no error only when its children were there, and
 * details computed lately prove that the manifest is in the repository (manifest-service.ts). A manifest seen in
 * another repository proves neither (a registry links content per repository), and must not show as present
 * there.
 */
export function manifestDetailsKey(repo: string, digest: Digest): string {
  // A repository name cannot contain `@`: no two pairs share a key.
  return `m:${repo}@${digest}`;
}

/**
 * The key of what was read of config `digest` in `repo`, under `prefix` (`c` config briefs here, `ic` the manifest
 * page's image configs). Per repository, not per digest: a config blob can be deleted from one repository while the
 * manifests naming it stay (docker-registry 2.8.2 with deletes on), and then it must show as missing there
 * (BLOB_UNKNOWN) however another repository showed it. The first read in each repository goes through the source's
 * registry, whose content store serves the kept bytes where the registry answered the config in that repository
 * (a presence record: free after a restart) or after one HEAD there; later reads in the repository cost nothing.
 * Checking presence before a per-digest entry instead would cost a store lookup (a Redis round trip on replicas)
 * on every row of every view.
 */
export function configKey(prefix: 'c' | 'ic', repo: string, digest: Digest): string {
  return `${prefix}:${repo}@${digest}`;
}

/** After a delete in `repo`: the details of `digests` there no longer say that they can be read. */
export function forgetDetails(source: DetailsSource, repo: string, digests: readonly Digest[]): void {
  for (const digest of digests) source.cache.details.delete(manifestDetailsKey(repo, digest));
}

/**
 * After blob `digest` was deleted from `repo`: what was read of it there as a config (`c:`, `ic:`) no longer holds,
 * nor do the details of the repository's manifests, any of which may have taken its created time and platform from
 * it (which ones is not recorded; a blob delete is rare, and the details are computed again from kept content).
 */
export function forgetBlobDetails(source: DetailsSource, repo: string, digest: Digest): void {
  const cache = source.cache.details;
  cache.delete(configKey('c', repo, digest));
  cache.delete(configKey('ic', repo, digest));
  const manifests = manifestDetailsKey(repo, '' as Digest);
  for (const key of cache.keys()) if (key.startsWith(manifests)) cache.delete(key);
}

/**
 * What computing details needs of a source, and no more: its registry's reads, its pool and its digest
 * cache. A `Source` (`sources.ts`) is one; the narrow type keeps this module from depending on `sources.ts`
 * (and on credentials).
 */
export interface DetailsSource {
  registry: Pick<Registry, 'getBlob' | 'getManifest'>;
  pool: Pick<Limiter, 'run'>;
  cache: { details: DetailsCache };
}

function wire(error: unknown): WireError {
  if (error instanceof RegistryError) return error.toWire();
  return { code: 'UNKNOWN', message: 'internal error' };
}

/** The cache seen with the type of one kind of entry (keys keep kinds apart). */
function detailsCache<T>(source: DetailsSource): Lru<string, SharedTask<T>> {
  return source.cache.details as Lru<string, SharedTask<T>>;
}

/**
 * Caches a computation by key as a shared task (cancelled only when every request waiting for it has gone);
 * results carrying an error are not kept, so a later view retries them.
 */
function cached<T extends { error?: WireError }>(source: DetailsSource, key: string, load: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const cache = detailsCache<T>(source);
  const promise = sharedMemo(cache, key, load, signal);
  const task = cache.get(key);
  void promise.then(
    (value) => {
      if (value.error && cache.get(key) === task) cache.delete(key);
    },
    () => undefined,
  );
  return promise;
}

/** The image config's created time and platform, fetched once per repository and config digest ({@link configKey}). */
export function configBrief(source: DetailsSource, repo: string, config: Descriptor, signal?: AbortSignal): Promise<ConfigBrief> {
  return sharedMemo(
    detailsCache<ConfigBrief>(source),
    configKey('c', repo, config.digest),
    async (shared) => {
      const bytes = await source.pool.run(async () => {
        const blob = await source.registry.getBlob(repo, config.digest, { signal: shared });
        return readBlobBytes(blob, MAX_CONFIG_BYTES);
      }, shared);
      const parsed = parseImageConfig(bytes);
      const platform = formatPlatform(
        parsed.os && parsed.architecture ? { os: parsed.os, architecture: parsed.architecture, ...(parsed.variant ? { variant: parsed.variant } : {}) } : undefined,
      );
      return { created: typeof parsed.created === 'string' ? parsed.created : null, platform };
    },
    signal,
  );
}

/** Details of manifest bytes already in hand (from a tag GET); cached under their digest. */
export function detailsFromContent(source: DetailsSource, repo: string, content: ManifestContent, signal?: AbortSignal): Promise<ManifestDetails> {
  return cached(source, manifestDetailsKey(repo, content.descriptor.digest), (shared) => compute(source, repo, content, 0, shared), signal);
}

/** Details of a manifest by digest, fetching it when not cached. */
export function detailsByDigest(source: DetailsSource, repo: string, digest: Digest, depth = 0, signal?: AbortSignal): Promise<ManifestDetails> {
  return cached(
    source,
    manifestDetailsKey(repo, digest),
    async (shared) => {
      const content = await source.pool.run(() => source.registry.getManifest(repo, digest, { signal: shared }), shared);
      return compute(source, repo, content, depth, shared);
    },
    signal,
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function newest(values: readonly (string | null)[]): string | null {
  let best: string | null = null;
  let bestTime = -Infinity;
  for (const value of values) {
    if (!value) continue;
    const time = Date.parse(value);
    if (!Number.isNaN(time) && time > bestTime) {
      best = value;
      bestTime = time;
    }
  }
  return best;
}

async function compute(source: DetailsSource, repo: string, content: ManifestContent, depth: number, signal: AbortSignal): Promise<ManifestDetails> {
  const { descriptor, bytes } = content;
  let parsed: ParsedManifest;
  try {
    parsed = parseManifest(bytes, descriptor.mediaType);
  } catch (error) {
    // Unknown or broken documents are still listed, with what is known.
    return { digest: descriptor.digest, mediaType: descriptor.mediaType, kind: 'unknown', size: null, created: null, platforms: [], error: wire(error) };
  }
  const details: ManifestDetails = {
    digest: descriptor.digest,
    mediaType: descriptor.mediaType || parsed.mediaType,
    kind: parsed.kind,
    size: null,
    created: parsed.annotations?.[Annotation.Created] ?? null,
    platforms: [],
  };
  if (parsed.artifactType) details.artifactType = parsed.artifactType;
  if (parsed.subject) details.subject = parsed.subject.digest;
  const manifest = parsed.manifest;

  if ('manifests' in manifest && Array.isArray(manifest.manifests)) {
    await indexDetails(source, repo, manifest.manifests, details, depth, signal);
  } else if ('config' in manifest && manifest.config && Array.isArray(manifest.layers)) {
    const image = manifest as ImageManifest;
    details.size = image.config.size + sum(image.layers.map((layer) => layer.size));
    // Only image configs say when and for which platform an image was built; artifact configs are opaque.
    if (IMAGE_CONFIG_MEDIA_TYPES.includes(image.config.mediaType) && details.kind !== 'attestation') {
      try {
        const brief = await configBrief(source, repo, image.config, signal);
        details.created = brief.created ?? details.created;
        if (brief.platform) details.platforms = [brief.platform];
      } catch (error) {
        details.error = wire(error);
      }
    }
  } else if (manifest.schemaVersion === 1) {
    schema1Details(manifest as DockerSchema1Manifest, details);
  }
  return details;
}

async function indexDetails(source: DetailsSource, repo: string, entries: Descriptor[], details: ManifestDetails, depth: number, signal: AbortSignal): Promise<void> {
  const { manifests: children } = manifestReferences({ schemaVersion: 2, manifests: entries });
  details.entryKinds = entries.map((entry) => artifactKind(entry.artifactType, entry.annotations));
  details.entryDigests = entries.map((entry) => entry.digest);
  const attestations: Partial<Record<ArtifactKind, number>> = {};
  const work: { platform: string; result: Promise<ManifestDetails | undefined> }[] = [];
  for (const child of children) {
    if (isAttestationDescriptor(child)) {
      const kind = artifactKind(child.artifactType, child.annotations);
      const counted = kind === 'other' ? 'attestation' : kind;
      attestations[counted] = (attestations[counted] ?? 0) + 1;
      continue;
    }
    // Only images count towards size, date and platforms: entries of an artifact index or of a referrers
    // fallback index (they carry an artifactType) are not fetched.
    if (details.kind === 'artifact' || (child.artifactType && !child.platform)) continue;
    const platform = formatPlatform(child.platform);
    const result =
      depth >= MAX_INDEX_DEPTH
        ? Promise.resolve(undefined)
        : detailsByDigest(source, repo, child.digest, depth + 1, signal).catch((error: unknown) => {
            const problem = wire(error);
            details.error ??= { ...problem, message: `${platform || child.digest}: ${problem.message}` };
            return undefined;
          });
    work.push({ platform, result });
  }
  const results = await Promise.all(work.map((w) => w.result));
  const known = results.filter((r): r is ManifestDetails => r !== undefined);
  if (known.length > 0 || entries.length === 0) details.size = sum(known.map((r) => r.size ?? 0));
  details.created = newest(known.map((r) => r.created)) ?? details.created;
  const platforms: string[] = [];
  work.forEach((w, i) => {
    // A child without a platform in its descriptor tells its own (from its config).
    if (w.platform) platforms.push(w.platform);
    else platforms.push(...(results[i]?.platforms ?? []));
  });
  for (const child of known) if (child.error && !details.error) details.error = child.error;
  details.platforms = [...new Set(platforms)];
  if (Object.keys(attestations).length) details.attestations = attestations;
}

function schema1Details(manifest: DockerSchema1Manifest, details: ManifestDetails): void {
  // Schema1 has no sizes; its newest history entry (first) holds the image's created time and platform.
  try {
    const first = JSON.parse(manifest.history?.[0]?.v1Compatibility ?? '{}') as { created?: unknown; os?: unknown; architecture?: unknown };
    if (typeof first.created === 'string') details.created = first.created;
    const os = typeof first.os === 'string' ? first.os : 'linux';
    const arch = typeof first.architecture === 'string' ? first.architecture : manifest.architecture;
    if (arch) details.platforms = [`${os}/${arch}`];
  } catch {
    if (manifest.architecture) details.platforms = [`linux/${manifest.architecture}`];
  }
}
