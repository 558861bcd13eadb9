/**
 * "Content digest where cheap" for a compare: files with the same metadata but written by different layer
 * blobs may or may not hold the same bytes. Where reading them is cheap — small files in layers that are
 * plain tar (a range request) or small enough to decompress up to the file — both versions are hashed, so
 * the compare can drop the ones that did not change and name the ones that did.
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { openLayerFile } from '@/lib/layers/read-file';
import { streamChunks } from '@/lib/layers/byte-streams';
import { createStreamHash } from '@/lib/registry/hash';
import { mapConcurrent } from '@/lib/registry/iter';
import type { Image } from './image-files-service';
import { indexLayer, layerOptions } from './layer-files-service';
import type { Source } from './sources';

/** Most files hashed per compare (both sides each). */
export const MAX_HASHED_FILES = 100;
/** Largest file hashed. */
export const MAX_HASHED_FILE_BYTES = 1024 * 1024;
/** Largest uncompressed layer read from its start (plain tar layers are read by range at any size). */
export const MAX_STREAMED_LAYER_BYTES = 64 * 1024 * 1024;

export interface CompareSideImage {
  source: Source;
  repo: string;
  image: Image;
}

async function hashFile(side: CompareSideImage, path: string): Promise<Digest | undefined> {
  const entry = side.image.fs.entries.get(path)!;
  const digest = side.image.layers[entry.layer]!.digest as Digest;
  const layer = await indexLayer(side.source, side.repo, digest);
  if (layer.toc.codec !== 'tar' && layer.toc.tarSize > MAX_STREAMED_LAYER_BYTES) return undefined;
  const file = await openLayerFile(side.source.registry, side.repo, digest, layer, entry.entryIndex, layerOptions());
  const hash = createStreamHash('sha256');
  for await (const chunk of streamChunks(file.body)) hash.update(chunk);
  return hash.digest();
}

/** Paths whose metadata is equal but whose layer blobs differ (the ones the diff cannot settle alone). */
function candidates(a: Image, b: Image): string[] {
  const out: string[] = [];
  for (const [path, x] of a.fs.entries) {
    const y = b.fs.entries.get(path);
    if (!y || x.type !== 'file' || y.type !== 'file' || x.implicit || y.implicit) continue;
    if (x.size !== y.size || x.mode !== y.mode || x.uid !== y.uid || x.gid !== y.gid || x.size > MAX_HASHED_FILE_BYTES) continue;
    if (a.layers[x.layer]!.digest === b.layers[y.layer]!.digest) continue;
    out.push(path);
  }
  return out.sort().slice(0, MAX_HASHED_FILES);
}

/** SHA-256 of both versions of each cheaply readable candidate (the others are left out). Files are read four at a time. */
export async function hashCheapCandidates(from: CompareSideImage, to: CompareSideImage): Promise<Map<string, { from: string; to: string }>> {
  const paths = candidates(from.image, to.image);
  const hashed = await mapConcurrent(paths, 4, async (path) => {
    const [a, b] = await Promise.all([hashFile(from, path), hashFile(to, path)]);
    return a && b ? ([path, { from: a, to: b }] as const) : undefined;
  });
  return new Map(hashed.filter((pair) => pair !== undefined));
}
