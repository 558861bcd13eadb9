/**
 * One manifest as the API shows it: its descriptor and exact bytes, the parsed document and its kind; for an
 * index its children (platform, attestation flag, and `missing` when a child cannot be read — the response
 * is still 200); for an image its config summary and layers; its subject. Unparsable or unknown documents
 * are returned with what is there (raw text, JSON when it parses, kind `unknown`).
 */
import 'server-only';
import type { ChildManifest, ConfigSummary, ManifestResponse } from '@/lib/api/types';
import { RegistryError, type WireError } from '@/lib/oci/errors';
import { parseImageConfig, parseManifest, type ParsedManifest } from '@/lib/oci/manifest';
import { IMAGE_CONFIG_MEDIA_TYPES, MANIFEST_MEDIA_TYPES, baseMediaType } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import type { ManifestContent } from '@/lib/registry/registry';
import { MAX_CONFIG_BYTES } from './details';
import { completeTagsOf } from './digest-tags';
import { markSeen, recentlySeen } from './presence';
import { readAll } from './read-all';
import { shapeChild, shapeConfig, shapeManifest } from './shape';
import type { Source } from './sources';
import { knownTagsOf } from './tags-service';
import { validReference } from './validate';

function wire(error: unknown): WireError {
  return error instanceof RegistryError ? error.toWire() : { code: 'UNKNOWN', message: 'internal error' };
}

/** Reads a manifest by tag or digest (validated first). */
export async function readManifest(source: Source, repo: string, reference: string): Promise<{ content: ManifestContent; tag?: string }> {
  const ref = validReference(reference);
  if ('digest' in ref) return { content: await source.pool.run(() => source.registry.getManifest(repo, ref.digest)) };
  const content = await source.pool.run(() => source.registry.getTag(repo, ref.tag));
  source.cache.repo(repo).lastKnown.set(ref.tag, content.descriptor.digest);
  return { content, tag: ref.tag };
}

/**
 * Checks that each child of an index can be read. A child seen within the tag cache time needs no request; older
 * knowledge (even cached details) does not prove it is still there: it may have been deleted since.
 */
async function indexChildren(source: Source, repo: string, entries: readonly Descriptor[]): Promise<ChildManifest[]> {
  return Promise.all(
    entries.map(async (entry) => {
      if (recentlySeen(source, entry.digest)) return shapeChild(entry);
      try {
        const isManifest = MANIFEST_MEDIA_TYPES.includes(baseMediaType(entry.mediaType));
        // BuildKit cache exports list layers in `manifests[]`: those are blobs, not manifests.
        await source.pool.run(() =>
          isManifest ? source.registry.resolveManifest(repo, entry.digest) : source.registry.resolveBlob(repo, entry.digest),
        );
        markSeen(source, entry.digest);
        return shapeChild(entry);
      } catch (error) {
        return shapeChild(entry, wire(error));
      }
    }),
  );
}

async function imageConfig(source: Source, repo: string, config: Descriptor, layers: readonly Descriptor[]): Promise<ConfigSummary> {
  const bytes = await source.pool.run(async () => {
    const blob = await source.registry.getBlob(repo, config.digest);
    return readAll(blob.body, MAX_CONFIG_BYTES);
  });
  return shapeConfig(config, parseImageConfig(bytes), layers);
}

/** The manifest response for `reference` (tag or digest). Throws MANIFEST_UNKNOWN, NAME_UNKNOWN, *_INVALID… */
export async function getManifestView(source: Source, repo: string, reference: string): Promise<ManifestResponse> {
  const { content, tag } = await readManifest(source, repo, reference);
  let parsed: ParsedManifest | undefined;
  try {
    parsed = parseManifest(content.bytes, content.descriptor.mediaType);
  } catch {
    parsed = undefined;
  }
  // Every tag on the digest when all the repository's tags were resolved lately; else those seen (and say so).
  const complete = completeTagsOf(source, repo, content.descriptor.digest);
  const known = complete ?? knownTagsOf(source, repo, content.descriptor.digest);
  const tags = tag && !known.includes(tag) ? [tag, ...known] : known;
  const tagsComplete = complete !== undefined;
  if (!parsed) return { ...shapeManifest({ content, ...(tags.length ? { tags } : {}) }), tagsComplete };

  const manifest = parsed.manifest;
  let children: ChildManifest[] | undefined;
  let config: ConfigSummary | undefined;
  let configError: WireError | undefined;
  if ('manifests' in manifest && Array.isArray(manifest.manifests)) {
    children = await indexChildren(source, repo, manifest.manifests);
  } else if ('config' in manifest && manifest.config && IMAGE_CONFIG_MEDIA_TYPES.includes(manifest.config.mediaType)) {
    try {
      config = await imageConfig(source, repo, manifest.config, Array.isArray(manifest.layers) ? manifest.layers : []);
    } catch (error) {
      configError = wire(error);
    }
  }
  const shaped = shapeManifest({
    content,
    parsed,
    ...(children ? { children } : {}),
    ...(config ? { config } : {}),
    ...(configError ? { configError } : {}),
    ...(tags.length ? { tags } : {}),
  });
  return { ...shaped, tagsComplete };
}
