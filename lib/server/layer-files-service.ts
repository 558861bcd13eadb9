/**
 * Files of one layer blob: its table of contents (`…/-/blobs/{digest}/files`, `?path=` for one directory) and
 * one file (`…/-/blobs/{digest}/files/{path…}`). Indexing is done by `lib/layers`; this module connects it to
 * a source and shapes the answers. Gzip layers get their checkpoints built in the background once indexed.
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { RegistryError } from '@/lib/oci/errors';
import { ensureCheckpoints } from '@/lib/layers/checkpoint-index';
import { getLayerIndex, type IndexedLayer, type IndexOptions } from '@/lib/layers/layer-index';
import { layerLimits } from '@/lib/layers/limits';
import { openLayerFile } from '@/lib/layers/read-file';
import { layerDirectory, resolvePath } from '@/lib/layers/resolve';
import { normalisePath, parentOf } from '@/lib/layers/tar/path';
import type { LayerToc, TocEntry } from '@/lib/layers/types';
import { contentStore } from './content-cache/store';
import { fileResponse } from './file-response';
import type { Source } from './sources';
import { badParameter } from './validate';

export function layerOptions(): IndexOptions {
  return { store: contentStore(), limits: layerLimits() };
}

/** The layer's index; starts its gzip checkpoints in the background. */
export async function indexLayer(source: Source, repo: string, digest: Digest): Promise<IndexedLayer> {
  const options = layerOptions();
  const layer = await getLayerIndex(source.registry, repo, digest, options);
  if (layer.toc.codec === 'gzip') void ensureCheckpoints(source.registry, repo, digest, layer.toc.tarSize, options);
  return layer;
}

/** Validates a file path from the URL or `?path=`: no NUL, no `..`; returns it normalised (`''` = root). */
export function validFilePath(path: string, parameter = 'path'): string {
  if (path.includes('\0')) throw badParameter(parameter, 'a file path must not contain NUL');
  if (path.split('/').some((part) => part === '..')) throw badParameter(parameter, 'a file path must not contain ".."');
  return normalisePath(path);
}

export function notFound(path: string, why = 'is not in this layer'): RegistryError {
  return new RegistryError('BLOB_UNKNOWN', `/${path} ${why}`, { status: 404, detail: { path } });
}

export interface LayerListing extends Omit<LayerToc, 'entries'> {
  /** The directory listed (`?path=`), absent for the whole table of contents. */
  path?: string;
  entries: TocEntry[];
}

/** The table of contents, or one directory of it. */
export async function getLayerFiles(source: Source, repo: string, digest: Digest, params: URLSearchParams): Promise<LayerListing> {
  const { toc } = await indexLayer(source, repo, digest);
  const wanted = params.get('path');
  if (wanted === null) return toc;
  const dir = validFilePath(wanted);
  const entries = layerDirectory(toc.entries, dir);
  if (dir !== '' && entries.length === 0 && !toc.entries.some((e) => e.path === dir && e.type === 'dir')) throw notFound(dir, 'is not a directory in this layer');
  return { ...toc, entries, path: dir };
}

/** Last entry per path (a tar may repeat a path: the later one wins), with the directories the layer implies. */
function layerLookup(entries: readonly TocEntry[]): { lookup: (path: string) => TocEntry | undefined; indexOf: Map<TocEntry, number> } {
  const byPath = new Map<string, TocEntry>();
  const indexOf = new Map<TocEntry, number>();
  entries.forEach((entry, i) => {
    byPath.set(entry.path, entry);
    indexOf.set(entry, i);
    for (let dir = parentOf(entry.path); dir !== '' && !byPath.has(dir); dir = parentOf(dir)) {
      byPath.set(dir, { path: dir, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0 });
    }
  });
  return { lookup: (path) => byPath.get(path), indexOf };
}

/** One file of the layer (symlinks followed inside the layer), or a directory's listing. */
export async function layerFileResponse(source: Source, repo: string, digest: Digest, segments: readonly string[], request: Request): Promise<Response | LayerListing> {
  const path = validFilePath(segments.join('/'));
  const layer = await indexLayer(source, repo, digest);
  const { lookup, indexOf } = layerLookup(layer.toc.entries);
  const entry = path === '' ? undefined : resolvePath(lookup, path);
  if (path === '' || entry?.type === 'dir') {
    return { ...layer.toc, entries: layerDirectory(layer.toc.entries, entry?.path ?? ''), path: entry?.path ?? '' };
  }
  if (!entry) throw notFound(path);
  if (entry.type !== 'file' && entry.type !== 'hardlink') throw notFound(path, `is a ${entry.type}, which has no content`);
  const file = await openLayerFile(source.registry, repo, digest, layer, indexOf.get(entry)!, layerOptions());
  const download = new URL(request.url).searchParams.get('download') === '1';
  return fileResponse(file, { download, immutable: true, etag: `"${digest}:${encodeURIComponent(entry.path)}"` });
}
