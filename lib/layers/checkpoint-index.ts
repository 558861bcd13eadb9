/**
 * The gzip checkpoints of each layer, process-wide (on `globalThis`), in memory and in the content store
 * (`toc/<digest>/checkpoints`, `disk-store.ts`).
 * They are built in the background right after a gzip layer's table of contents, by a second read of the blob
 * through pako (about twice as slow as native zlib, so it is kept off the listing's path); until they exist,
 * file reads inflate from the start of the layer. See docs/files.md for the measured figures.
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import type { ContentStore } from '@/lib/registry/cache/content-store';
import { Lru } from '@/lib/registry/lru';
import { readStored, writeStored } from './disk-store';
import { gzipCheckpoints, type GzipCheckpoint } from './gzip/checkpoints';
import { streamChunks } from './byte-streams';
import type { BlobReader, IndexOptions } from './layer-index';

/** Uncompressed bytes between checkpoints: a read inflates at most this much before its file starts. */
export const CHECKPOINT_SPACING = 4 * 1024 * 1024;
/** Layers with less uncompressed data than this get no checkpoints (reading from the start is cheap). */
const MIN_TAR_BYTES = 2 * CHECKPOINT_SPACING;
/** Memory bound: checkpoints kept (each holds a 32 KiB window). */
const MEMORY_CHECKPOINTS = 8192;

interface StoredCheckpoints {
  points: { in: number; skipBits: number; out: number; window: string }[];
}

interface State {
  /** Least recently used out, weighed by their checkpoints (an empty list, "none", weighs one: a bound on entries too). */
  memory: Lru<string, GzipCheckpoint[]>;
  building: Map<string, Promise<GzipCheckpoint[] | undefined>>;
}

const KEY = Symbol.for('porthole.layers.checkpoints');
const state: State = ((globalThis as Record<symbol, unknown>)[KEY] as State | undefined) ?? {
  memory: new Lru(MEMORY_CHECKPOINTS, (points) => Math.max(1, points.length)),
  building: new Map(),
};
(globalThis as Record<symbol, unknown>)[KEY] = state;

function remember(digest: string, points: GzipCheckpoint[]): void {
  state.memory.set(digest, points);
}

async function fromDisk(store: ContentStore | undefined, digest: Digest): Promise<GzipCheckpoint[] | undefined> {
  const stored = await readStored<StoredCheckpoints>(store, digest, 'zran');
  return stored?.points.map((p) => ({ in: p.in, skipBits: p.skipBits, out: p.out, window: new Uint8Array(Buffer.from(p.window, 'base64')) }));
}

async function build(registry: BlobReader, repo: string, digest: Digest, options: IndexOptions): Promise<GzipCheckpoint[]> {
  const stored = await fromDisk(options.store, digest);
  if (stored) return stored;
  const blob = await registry.getBlob(repo, digest);
  const { checkpoints } = await gzipCheckpoints(streamChunks(blob.body), { spacing: CHECKPOINT_SPACING, maxOut: options.limits.maxTarBytes });
  if (options.store) {
    const payload: StoredCheckpoints = { points: checkpoints.map((c) => ({ in: c.in, skipBits: c.skipBits, out: c.out, window: Buffer.from(c.window).toString('base64') })) };
    await writeStored(options.store, digest, payload, 'zran').catch((error: unknown) => console.warn(`[porthole] could not store the checkpoints of ${digest}: ${String(error)}`));
  }
  return checkpoints;
}

/**
 * Starts building the checkpoints of a gzip layer unless they exist or are being built; resolves when they are
 * there (undefined when the layer is too small to need them or the build failed: reads then start at 0).
 */
export function ensureCheckpoints(registry: BlobReader, repo: string, digest: Digest, tarSize: number, options: IndexOptions): Promise<GzipCheckpoint[] | undefined> {
  if (tarSize < MIN_TAR_BYTES) return Promise.resolve(undefined);
  const known = state.memory.get(digest);
  if (known) return Promise.resolve(known);
  let pending = state.building.get(digest);
  if (!pending) {
    pending = build(registry, repo, digest, options)
      .then((points) => {
        remember(digest, points);
        return points;
      })
      .catch((error: unknown) => {
        // Remembered as "none" so that every later request does not read the whole blob again.
        console.warn(`[porthole] no checkpoints for ${digest}: ${String(error)}`);
        remember(digest, []);
        return undefined;
      })
      .finally(() => state.building.delete(digest));
    state.building.set(digest, pending);
  }
  return pending;
}

/** The checkpoints of `digest` if they are ready (memory or disk); never starts a build. */
export async function readyCheckpoints(digest: Digest, store: ContentStore | undefined): Promise<GzipCheckpoint[] | undefined> {
  const known = state.memory.get(digest);
  if (known) return known;
  if (state.building.has(digest)) return undefined;
  const stored = await fromDisk(store, digest);
  if (stored) remember(digest, stored);
  return stored;
}

/** The last checkpoint at or before uncompressed offset `offset`. */
export function nearestCheckpoint(points: readonly GzipCheckpoint[], offset: number): GzipCheckpoint | undefined {
  let low = 0;
  let high = points.length - 1;
  let best: GzipCheckpoint | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (points[mid]!.out <= offset) {
      best = points[mid];
      low = mid + 1;
    } else high = mid - 1;
  }
  return best;
}

/** Forgets in-memory checkpoints (tests). */
export function clearCheckpointMemory(): void {
  state.memory.clear();
}
