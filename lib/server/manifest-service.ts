/**
 * One manifest as the API shows it: its descriptor and exact bytes, the parsed document and its kind; for an
 * index its children (platform, attestation flag, and `missing` when a child cannot be read — the response
 * is still 200); for an image its config summary and layers; its subject. Unparsable or unknown documents
 * are returned with what is there (raw text, JSON when it parses, kind `unknown`).
 */
import 'server-only';
import type { ChildManifest, ManifestResponse } from '@/lib/api/types';
import { RegistryError, type WireError } from '@/lib/oci/errors';
import { parseImageConfig, parseManifest, type ParsedManifest } from '@/lib/oci/manifest';
import { IMAGE_CONFIG_MEDIA_TYPES, MANIFEST_MEDIA_TYPES, baseMediaType } from '@/lib/oci/media-types';
import type { Descriptor, Digest, ImageConfig } from '@/lib/oci/types';
import type { ManifestContent } from '@/lib/registry/registry';
import { MAX_CONFIG_BYTES, configKey, manifestDetailsKey } from './details';
import { completeTagsOf } from './digest-tags';
import type { Lru } from '@/lib/registry/lru';
import { manifestView, type ManifestView } from './manifest-view-cache';
import { markSeen, recentlySeen } from './presence';
import { readBlobBytes } from '@/lib/registry/blob-bytes';
import { shapeChild, shapeConfig, shapeManifest } from './shape';
import { sharedMemo, type SharedTask } from './shared-task';
import type { Source } from './sources';
import { knownTagsOf } from './tags-service';
import { validReference } from './validate';

function wire(error: unknown): WireError {
  return error instanceof RegistryError ? error.toWire() : { code: 'UNKNOWN', message: 'internal error' };
}

/** Reads a manifest by tag or digest (validated first). */
export async function readManifest(source: Source, repo: string, reference: string, signal?: AbortSignal): Promise<{ content: ManifestContent; tag?: string }> {
  const ref = validReference(reference);
  if ('digest' in ref) return { content: await source.pool.run(() => source.registry.getManifest(repo, ref.digest, { signal }), signal) };
  const content = await source.pool.run(() => source.registry.getTag(repo, ref.tag, { signal }), signal);
  source.cache.repo(repo).lastKnown.set(ref.tag, content.descriptor.digest);
  return { content, tag: ref.tag };
}

/**
 * Checks that each child of an index can be read. Details computed in this repository within the tag cache time prove it
 * without a request; older proof is not trusted (a child may have been deleted since).
 */
async function indexChildren(source: Source, repo: string, entries: readonly Descriptor[], signal: AbortSignal): Promise<ChildManifest[]> {
  return Promise.all(
    entries.map(async (entry) => {
      if (recentlySeen(source, repo, entry.digest)) return shapeChild(entry);
      const known = recentDetails(source, repo, entry.digest, signal);
      if (known && (await known.then(() => true, () => false))) {
        markSeen(source, repo, entry.digest);
        return shapeChild(entry);
      }
      try {
        const isManifest = MANIFEST_MEDIA_TYPES.includes(baseMediaType(entry.mediaType));
        // BuildKit cache exports list layers in `manifests[]`: those are blobs, not manifests.
        await source.pool.run(
          () => (isManifest ? source.registry.resolveManifest(repo, entry.digest, { signal }) : source.registry.resolveBlob(repo, entry.digest, { signal })),
          signal,
        );
        markSeen(source, repo, entry.digest);
        return shapeChild(entry);
      } catch (error) {
        signal.throwIfAborted();
        return shapeChild(entry, wire(error));
      }
    }),
  );
}

/** Cached details of `digest` in `repo` computed less than the tag cache time ago, joined; otherwise undefined. */
function recentDetails(source: Source, repo: string, digest: Digest, signal: AbortSignal): Promise<unknown> | undefined {
  const task = source.cache.details.get(manifestDetailsKey(repo, digest));
  if (!task || task.abandoned || task.settledAt === undefined || Date.now() - task.settledAt >= source.cache.tagCacheMs) return undefined;
  return task.join(signal);
}

/**
 * The parsed image config, fetched once per repository and config digest (content-addressed: cached for good) in
 * this source's digest cache. Per repository (`configKey` in details.ts): a config deleted from this repository
 * only must show as missing here (`configError` BLOB_UNKNOWN), not as another repository's
 * (`config-presence.integration.test.ts`).
 */
function imageConfigOf(source: Source, repo: string, config: Descriptor, signal: AbortSignal): Promise<ImageConfig> {
  const cache = source.cache.details as unknown as Lru<string, SharedTask<ImageConfig>>;
  return sharedMemo(
    cache,
    configKey('ic', repo, config.digest),
    async (shared) => {
      const bytes = await source.pool.run(async () => {
        const blob = await source.registry.getBlob(repo, config.digest, { signal: shared });
        return readBlobBytes(blob, MAX_CONFIG_BYTES);
      }, shared);
      return parseImageConfig(bytes);
    },
    signal,
  );
}

/** Builds the view of one manifest (bytes in hand from a tag GET, or fetched by digest). */
async function buildView(source: Source, repo: string, digest: Digest, inHand: ManifestContent | undefined, signal: AbortSignal): Promise<ManifestView> {
  const content = inHand ?? (await source.pool.run(() => source.registry.getManifest(repo, digest, { signal }), signal));
  let parsed: ParsedManifest | undefined;
  try {
    parsed = parseManifest(content.bytes, content.descriptor.mediaType);
  } catch {
    return { content };
  }
  const manifest = parsed.manifest;
  const view: ManifestView = { content, parsed };
  if ('manifests' in manifest && Array.isArray(manifest.manifests)) {
    view.children = await indexChildren(source, repo, manifest.manifests, signal);
  } else if ('config' in manifest && manifest.config && IMAGE_CONFIG_MEDIA_TYPES.includes(manifest.config.mediaType)) {
    try {
      const config = await imageConfigOf(source, repo, manifest.config, signal);
      view.config = shapeConfig(manifest.config, config, Array.isArray(manifest.layers) ? manifest.layers : []);
    } catch (error) {
      signal.throwIfAborted();
      view.configError = wire(error);
    }
  }
  return view;
}

/**
 * The manifest response for `reference` (tag or digest). By digest, a view built within the tag cache time
 * is reused without any registry request (manifest-view-cache.ts); by tag, the tag is read (tags move) and
 * the rest comes from that cache. Throws MANIFEST_UNKNOWN, NAME_UNKNOWN, *_INVALID…
 */
export async function getManifestView(source: Source, repo: string, reference: string, signal?: AbortSignal): Promise<ManifestResponse> {
  const ref = validReference(reference);
  let inHand: ManifestContent | undefined;
  let tag: string | undefined;
  if ('tag' in ref) {
    ({ content: inHand, tag } = await readManifest(source, repo, reference, signal));
  }
  const digest = inHand ? inHand.descriptor.digest : (ref as { digest: Digest }).digest;
  const view = await manifestView(source, repo, digest, (shared) => buildView(source, repo, digest, inHand, shared), signal);
  // Every tag on the digest when all the repository's tags were resolved lately; else those seen (and say so).
  const complete = completeTagsOf(source, repo, digest);
  const known = complete ?? knownTagsOf(source, repo, digest);
  const tags = tag && !known.includes(tag) ? [tag, ...known] : known;
  return { ...shapeManifest({ ...view, ...(tags.length ? { tags } : {}) }), tagsComplete: complete !== undefined };
}
