/**
 * The filesystem of an image (`…/-/manifests/{ref}/files[/{path…}]`): the manifest is read (for an index, the
 * child of `?platform=`), every layer indexed (`lib/layers`), the layers applied in order with whiteouts. A
 * directory answers its listing, a file its bytes (read from the layer that last wrote it), a path that is not
 * in the merged filesystem — whited out included — 404. Foreign layers are listed as skipped, not read.
 * Merged filesystems are kept for the next request per source, repository, manifest digest and chosen platform:
 * a digest's layers are the same everywhere, but a listing also says that every layer can be read where it was
 * asked for (a repository or registry may lack one), and which platform the index chose.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { formatPlatform, isAttestationDescriptor, parseManifest } from '@/lib/oci/manifest';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { applyLayers, listDirectory, listSubtree, type FsEntry, type ImageFilesystem } from '@/lib/layers/filesystem';
import { layerKind } from '@/lib/layers/media';
import { openLayerFile } from '@/lib/layers/read-file';
import { resolvePath } from '@/lib/layers/resolve';
import { mapConcurrent } from '@/lib/registry/iter';
import { Lru } from '@/lib/registry/lru';
import type { ImageFileEntry, ImageLayer, ImageListing, TocEntry } from '@/lib/layers/types';

export type { ImageFileEntry, ImageLayer, ImageListing };
import { indexLayer, layerOptions, notFound, validFilePath } from './layer-files-service';
import { fileResponse } from './file-response';
import { manifestDetailsKey } from './details';
import { readManifest } from './manifest-service';
import type { Source } from './sources';
import { badParameter } from './validate';

/** An image read for its files: manifest digest, config descriptor, layers and the merged filesystem. */
export interface Image {
  manifest: Digest;
  config?: Descriptor;
  platform?: string;
  layers: ImageLayer[];
  /** Layer indexes in `fs` are indexes in `layers` (skipped layers contribute nothing). */
  fs: ImageFilesystem;
}

/** A merged filesystem and the source it was read from (a source configured again under the same name is another one). */
interface KeptImage {
  source: Source;
  image: Image;
}

const KEY = Symbol.for('porthole.server.imageFilesystems');
const CACHE_SIZE = 8;
/** The images whose files were read last (an image being browsed is read for every directory opened), by {@link keptKey}. */
const cache: Lru<string, KeptImage> = ((globalThis as Record<symbol, unknown>)[KEY] as Lru<string, KeptImage> | undefined) ?? new Lru(CACHE_SIZE);
(globalThis as Record<symbol, unknown>)[KEY] = cache;

/**
 * Where a merged filesystem may be reused: same source, repository (the layers were proved readable there, as
 * `indexLayer` checks each one in the repository asked for), manifest and platform chosen through an index.
 */
function keptKey(source: Source, repo: string, digest: Digest, platform: string | undefined): string {
  return `${source.name}\n${manifestDetailsKey(repo, digest)}\n${platform ?? ''}`;
}

function parsePlatform(text: string): { os: string; architecture: string; variant?: string } {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined) throw badParameter('platform', 'platform must be os/architecture[/variant]');
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** The image manifest's digest and layers; an index is narrowed to one platform first. */
async function imageManifest(source: Source, repo: string, reference: string, platform: string | null): Promise<{ digest: Digest; platform?: string; layers: Descriptor[]; config?: Descriptor }> {
  const { content } = await readManifest(source, repo, reference);
  let parsed = parseManifest(content.bytes, content.descriptor.mediaType);
  let digest = content.descriptor.digest;
  let chosen: string | undefined;
  if ('manifests' in parsed.manifest && Array.isArray(parsed.manifest.manifests)) {
    const images = parsed.manifest.manifests.filter((m) => !isAttestationDescriptor(m) && m.platform);
    const wanted = platform ? parsePlatform(platform) : undefined;
    const match = wanted
      ? images.find((m) => m.platform!.os === wanted.os && m.platform!.architecture === wanted.architecture && (wanted.variant === undefined || m.platform!.variant === wanted.variant))
      : images.length === 1 ? images[0] : undefined;
    if (!match) {
      const available = images.map((m) => formatPlatform(m.platform));
      if (platform) throw new RegistryError('MANIFEST_UNKNOWN', `no image for platform ${platform} in this index`, { detail: { platforms: available } });
      throw new RegistryError('UNSUPPORTED', 'this is an index: choose a platform with ?platform=os/architecture[/variant]', {
        status: 400,
        detail: { parameter: 'platform', platforms: available },
      });
    }
    const child = await source.pool.run(() => source.registry.getManifest(repo, match.digest));
    parsed = parseManifest(child.bytes, child.descriptor.mediaType);
    digest = child.descriptor.digest;
    chosen = formatPlatform(match.platform);
  }
  const manifest = parsed.manifest as { layers?: unknown; config?: Descriptor };
  if (!Array.isArray(manifest.layers)) throw new RegistryError('MANIFEST_INVALID', 'this manifest has no layers: it is not an image', { status: 422 });
  return { digest, ...(chosen ? { platform: chosen } : {}), layers: manifest.layers as Descriptor[], ...(manifest.config ? { config: manifest.config } : {}) };
}

/** The image behind `reference` (for an index: `platform`'s), its layers indexed and merged. Cached by {@link keptKey}. */
export async function loadImage(source: Source, repo: string, reference: string, platform: string | null): Promise<Image> {
  const { digest, platform: chosen, layers, config } = await imageManifest(source, repo, reference, platform);
  const key = keptKey(source, repo, digest, chosen);
  const known = cache.get(key);
  if (known?.source === source) return known.image;
  const shown: ImageLayer[] = layers.map((layer) => {
    const kind = layerKind(layer.mediaType);
    const item: ImageLayer = { digest: layer.digest, mediaType: layer.mediaType, size: layer.size };
    if (!kind) item.skipped = 'not-a-layer';
    else if (kind.foreign) item.skipped = 'foreign';
    return item;
  });
  // Index at most three layers at a time; each read streams, so memory stays flat.
  const tocs = await mapConcurrent(shown, 3, async (layer): Promise<TocEntry[]> =>
    layer.skipped ? [] : (await indexLayer(source, repo, layer.digest as Digest)).toc.entries,
  );
  const fs = applyLayers(tocs);
  const image: Image = { manifest: digest, ...(config ? { config } : {}), ...(chosen ? { platform: chosen } : {}), layers: shown, fs };
  cache.set(key, { source, image });
  return image;
}

function shapeEntry({ entryIndex: _entryIndex, ...entry }: FsEntry): ImageFileEntry {
  return entry;
}

/** The listing of a directory of the image (`?recursive=1`: everything below it), or the file at the path (symlinks followed inside the image). */
export async function imageFilesResponse(source: Source, repo: string, reference: string, segments: readonly string[], request: Request): Promise<Response | ImageListing> {
  const path = validFilePath(segments.join('/'));
  const params = new URL(request.url).searchParams;
  const image = await loadImage(source, repo, reference, params.get('platform'));
  const base = { manifest: image.manifest, ...(image.platform ? { platform: image.platform } : {}), layers: image.layers };
  const entry = path === '' ? undefined : resolvePath((p) => image.fs.entries.get(p), path);
  if (path === '' || entry?.type === 'dir') {
    const dir = entry?.path ?? '';
    const recursive = params.get('recursive');
    if (recursive !== null && recursive !== '1') throw badParameter('recursive', 'recursive must be 1');
    const entries = recursive ? listSubtree(image.fs, dir) : listDirectory(image.fs, dir)!;
    return { ...base, path: dir, entries: entries.map(shapeEntry) };
  }
  if (!entry) throw notFound(path, 'is not in this image');
  if (entry.type !== 'file' && entry.type !== 'hardlink') throw notFound(path, `is a ${entry.type}, which has no content`);
  const layerDigest = image.layers[entry.layer]!.digest as Digest;
  const layer = await indexLayer(source, repo, layerDigest);
  const file = await openLayerFile(source.registry, repo, layerDigest, layer, entry.entryIndex, layerOptions());
  const immutable = reference.includes(':'); // a digest: tags never contain ':'
  return fileResponse(file, { download: params.get('download') === '1', immutable, etag: `"${image.manifest}:${encodeURIComponent(entry.path)}"` });
}
