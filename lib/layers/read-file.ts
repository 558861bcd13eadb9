/**
 * Reads one file out of a layer whose table of contents is known: straight to the entry's data without
 * parsing tar headers. For a gzip layer with checkpoints it asks the registry for a byte range starting at the
 * nearest checkpoint before the file and inflates only from there; a zstd layer with several frames starts at
 * the last frame before the file; plain tar gets a range straight to the data; otherwise (single-frame zstd,
 * gzip before its checkpoints exist) it decompresses from the start of the blob and skips.
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { expandSparse, sliceBytes, streamChunks, toWebStream } from './byte-streams';
import { nearestCheckpoint, readyCheckpoints } from './checkpoint-index';
import { decompressLayer } from './decompress';
import { layerError } from './errors';
import { inflateFrom } from './gzip/resume';
import type { BlobReader, IndexedLayer, IndexOptions } from './layer-index';
import type { EntryLocation, TocEntry } from './types';

/** How a read was served (for tests, the benchmark and the `x-porthole-read` header). */
export type ReadPath = 'range' | 'checkpoint' | 'stream';

export interface OpenedFile {
  entry: TocEntry;
  body: ReadableStream<Uint8Array>;
  path: ReadPath;
}

const short = () => layerError('truncated', 'the layer ends before the end of the file');

/** The blob from byte `start` on: a range request (skipping bytes here in case a backend sends more). */
async function blobFrom(registry: BlobReader, repo: string, digest: Digest, start: number): Promise<AsyncIterable<Uint8Array>> {
  const blob = await registry.getBlob(repo, digest, { range: { start } });
  const served = blob.range?.start ?? 0;
  const chunks = streamChunks(blob.body);
  return served === start ? chunks : sliceBytes(chunks, start - served, blob.descriptor.size - start, short);
}

/** The uncompressed tar stream from `from` on (or later: the returned `skip` says how much to drop). */
async function tarFrom(registry: BlobReader, repo: string, digest: Digest, layer: IndexedLayer, from: number, options: IndexOptions): Promise<{ chunks: AsyncIterable<Uint8Array>; skip: number; path: ReadPath }> {
  if (layer.toc.codec === 'tar') return { chunks: await blobFrom(registry, repo, digest, from), skip: 0, path: 'range' };
  if (layer.toc.codec === 'gzip') {
    const points = await readyCheckpoints(digest, options.store);
    const checkpoint = points && nearestCheckpoint(points, from);
    if (checkpoint) {
      return { chunks: inflateFrom(checkpoint, await blobFrom(registry, repo, digest, checkpoint.in)), skip: from - checkpoint.out, path: 'checkpoint' };
    }
  }
  const frame = layer.frames?.findLast((f) => f.out <= from);
  if (frame) {
    // zstd frames decode on their own: start at the last frame before the data.
    const { chunks } = await decompressLayer(await blobFrom(registry, repo, digest, frame.in), options.limits);
    return { chunks, skip: from - frame.out, path: 'checkpoint' };
  }
  const blob = await registry.getBlob(repo, digest);
  const { chunks } = await decompressLayer(streamChunks(blob.body), options.limits);
  return { chunks, skip: from, path: 'stream' };
}

/** Opens the file at `index` of the layer's table of contents (a regular file, or a hard link to one in the layer). */
export async function openLayerFile(registry: BlobReader, repo: string, digest: Digest, layer: IndexedLayer, index: number, options: IndexOptions): Promise<OpenedFile> {
  let entry = layer.toc.entries[index]!;
  let location: EntryLocation = layer.locations[index]!;
  if (entry.type === 'hardlink') {
    // A hard link names an earlier entry of the same archive: read that one's data, report the link's metadata.
    const target = layer.toc.entries.findLastIndex((e, i) => i < index && e.path === entry.linkTarget && e.type === 'file');
    if (target < 0) throw layerError('not-a-tarball', `the hard link ${entry.path} points at ${entry.linkTarget ?? '?'}, which is not a file before it in this layer`);
    entry = { ...layer.toc.entries[target]!, path: entry.path };
    location = layer.locations[target]!;
  }
  if (entry.type !== 'file') throw layerError('not-a-layer', `${entry.path} is a ${entry.type}, not a file`);
  const { chunks, skip, path } = await tarFrom(registry, repo, digest, layer, location.offset, options);
  const stored = sliceBytes(chunks, skip, location.stored, short);
  const body = location.sparseMap ? expandSparse(stored, location.sparseMap, entry.size) : stored;
  return { entry, body: toWebStream(body), path };
}
