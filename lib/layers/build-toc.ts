/**
 * Builds the table of contents of a layer by streaming its blob once: decompress, scan tar headers, skip data.
 * Memory stays at one compressed chunk, one decompressed chunk and the entry list.
 */
import 'server-only';
import { decompressLayer } from './decompress';
import type { LayerLimits } from './limits';
import { TarScanner } from './tar/scanner';
import type { EntryLocation, FrameCheckpoint, LayerToc, TocEntry } from './types';

/** A table of contents and, per entry (same index), where its data sits in the tar stream. */
export interface IndexedLayer {
  toc: LayerToc;
  locations: EntryLocation[];
  /** zstd layers with several frames: where reads can start (see `read-file.ts`). */
  frames?: FrameCheckpoint[];
}

/**
 * Reads `body` (the blob of `digest`, `size` bytes) to its end. Throws layer errors (not-a-tarball, corrupt,
 * truncated, too-large) and whatever the body's source throws (e.g. a digest mismatch).
 */
export async function buildToc(body: AsyncIterable<Uint8Array>, blob: { digest: string; size: number }, limits: LayerLimits): Promise<IndexedLayer> {
  const entries: TocEntry[] = [];
  const locations: EntryLocation[] = [];
  const scanner = new TarScanner((entry, location) => {
    entries.push(entry);
    locations.push(location);
  }, limits);
  const { codec, chunks, frames } = await decompressLayer(body, limits);
  // Read to the very end even after the end-of-archive marker: the registry client checks the digest there.
  for await (const chunk of chunks) scanner.push(chunk);
  scanner.end();
  const toc: LayerToc = { digest: blob.digest, codec, compressedSize: blob.size, tarSize: scanner.position, entries };
  return frames.length ? { toc, locations, frames } : { toc, locations };
}
