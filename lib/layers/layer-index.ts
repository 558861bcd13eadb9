/**
 * The indexed layers of the whole process: a layer's table of contents (and where each entry's data sits) is
 * built once per digest by streaming the blob, then kept in memory (least recently used, bounded by entry
 * count) and in the content store (`disk-store.ts`: memory, disk, shared tiers). Concurrent requests for the same digest share one build. State lives
 * on `globalThis`: Next.js bundles this module into several route chunks.
 *
 * A digest's index is valid for every repository and source holding that blob (content addressing), but a
 * request only gets it after the blob is proved present in the repository asked for (`resolveBlob`).
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import type { ContentStore } from '@/lib/registry/cache/content-store';
import { Lru } from '@/lib/registry/lru';
import type { RegistryReader } from '@/lib/registry/registry';
import { streamChunks } from './byte-streams';
import { buildToc, type IndexedLayer } from './build-toc';
import { readStored, writeStored } from './disk-store';
import { layerError } from './errors';
import type { LayerLimits } from './limits';

export type { IndexedLayer };

export type BlobReader = Pick<RegistryReader, 'getBlob' | 'resolveBlob'>;

export interface IndexOptions {
  /** Where tables of contents and checkpoints are kept across restarts (`toc/` keys); none when undefined. */
  store?: ContentStore;
  limits: LayerLimits;
}

/** Memory bound: the sum of entries over the layers kept (a layer with 100k entries takes ~20 MB). */
const MEMORY_ENTRIES = 500_000;

interface State {
  /** Least recently used out, weighed by their entries (an empty layer weighs one: a bound on layers too). */
  memory: Lru<string, IndexedLayer>;
  building: Map<string, Promise<IndexedLayer>>;
  /** How many times a layer was built from its blob (for tests and the benchmark). */
  builds: number;
}

const KEY = Symbol.for('porthole.layers.index');
const state: State = ((globalThis as Record<symbol, unknown>)[KEY] as State | undefined) ?? {
  memory: new Lru(MEMORY_ENTRIES, (layer) => Math.max(1, layer.toc.entries.length)),
  building: new Map(),
  builds: 0,
};
(globalThis as Record<symbol, unknown>)[KEY] = state;

/** Keeps `layer` (one larger than the whole bound is kept alone: it is being read now). */
function remember(digest: string, layer: IndexedLayer): void {
  state.memory.set(digest, layer);
}

function recall(digest: string): IndexedLayer | undefined {
  return state.memory.get(digest);
}

async function build(registry: BlobReader, repo: string, digest: Digest, options: IndexOptions): Promise<IndexedLayer> {
  const stored = await readStored<IndexedLayer>(options.store, digest);
  if (stored) {
    await registry.resolveBlob(repo, digest);
    return stored;
  }
  const blob = await registry.getBlob(repo, digest);
  if (blob.descriptor.size > options.limits.maxBlobBytes) {
    await blob.body.cancel().catch(() => undefined);
    throw layerError('too-large', `the layer is ${blob.descriptor.size} bytes; layers over ${options.limits.maxBlobBytes} bytes are not read`, { limit: 'maxBlobBytes' });
  }
  state.builds++;
  const layer = await buildToc(streamChunks(blob.body), { digest, size: blob.descriptor.size }, options.limits);
  if (options.store) {
    // The index is correct whether or not it could be stored: a full disk only costs a rebuild later.
    await writeStored(options.store, digest, layer).catch((error: unknown) => console.warn(`[porthole] could not store the index of ${digest}: ${String(error)}`));
  }
  return layer;
}

/**
 * The index of layer `digest` in `repo`: from memory, from disk, or built by streaming the blob once.
 * Throws BLOB_UNKNOWN/NAME_UNKNOWN (not in this repository) and layer errors (422: not-a-tarball, corrupt,
 * truncated, too-large).
 */
export async function getLayerIndex(registry: BlobReader, repo: string, digest: Digest, options: IndexOptions): Promise<IndexedLayer> {
  const known = recall(digest);
  if (known) {
    await registry.resolveBlob(repo, digest);
    return known;
  }
  let pending = state.building.get(digest);
  if (!pending) {
    pending = build(registry, repo, digest, options).finally(() => state.building.delete(digest));
    state.building.set(digest, pending);
  } else {
    await registry.resolveBlob(repo, digest);
  }
  const layer = await pending;
  remember(digest, layer);
  return layer;
}

/** Counters for tests and the benchmark. */
export function layerIndexStats(): { builds: number; inMemory: number } {
  return { builds: state.builds, inMemory: state.memory.size };
}

/** Forgets every in-memory index (tests). */
export function clearLayerMemory(): void {
  state.memory.clear();
}
