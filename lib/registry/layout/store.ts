/**
 * Shared state of a layout registry: paths under the root, the index.json cache, one async mutex per
 * repository (every index.json read-modify-write runs under it) and a cache of parsed manifests. Manifests
 * are content-addressed, so a parse stays valid until the blob is deleted, which drops it from the cache.
 * The cache is bounded (least recently used out): an evicted manifest is simply read and parsed again. Nothing
 * uses it as an index of what exists — listings read index.json, and referrers and GC walk the graph from it.
 */
import 'server-only';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RegistryError } from '@/lib/oci/errors';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { mapConcurrent } from '@/lib/registry/iter';
import { matchesDigest } from '@/lib/registry/hash';
import { MAX_MANIFEST_BYTES, describeManifest, type ManifestInfo } from '@/lib/registry/local/manifest-info';
import { Lru } from '@/lib/registry/lru';
import { KeyedMutex } from '@/lib/registry/mutex';
import { fileSize, isErrno, setDurable, storageError, writeFileAtomic } from './files';
import { INDEX_CACHE_BYTES, IndexCache, emptyIndex, type IndexSnapshot } from './index-file';
import { INDEX_FILE, LAYOUT_CONTENT, LAYOUT_FILE, LayoutPaths, blobPath } from './paths';

export interface LayoutOptions {
  /**
   * fsync every file before renaming it into place (default true). The demo generator turns it off: it writes
   * into a temp directory that is renamed into place only once complete, so a crash leaves nothing half-made.
   */
  durable?: boolean;
  /**
   * Garbage collection after `deleteManifest` (default true): blobs no longer reachable from index.json are
   * removed. Set false to leave blobs for an external GC.
   */
  gc?: boolean;
  /**
   * Unreachable blobs younger than this (ms, by mtime) survive GC unless the deleted manifests referred to
   * them: they may belong to a push in progress (blobs are pushed before the manifest that lists them).
   * Default 5 minutes.
   */
  gcGraceMs?: number;
  /** Bound of the parsed-manifest cache, in weighed bytes (see {@link manifestRecordCost}). Default 32 MiB. */
  manifestCacheBytes?: number;
  /** Bound of the index.json cache (snapshots and their graphs), in weighed bytes. Default {@link INDEX_CACHE_BYTES}. */
  indexCacheBytes?: number;
}

/**
 * Default bound of the parsed-manifest cache: half the content store's 64 MiB memory tier, since what it holds is
 * rebuilt from a local file in well under a millisecond. About 20,000 typical image manifests (~700 B each);
 * without a bound a long-running server over a large layout kept every manifest it ever parsed.
 */
export const MANIFEST_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * What a cached record is counted for: a parsed manifest (its JSON object plus the descriptors of its
 * ManifestInfo) takes about 1.75 times its file size on the heap (1,200 B for a 686 B manifest, measured on
 * Node 20), so twice the size, plus 512 B for the key (the layout's path and the digest) and map entry.
 * An `invalid` record holds no content.
 */
export function manifestRecordCost(record: ManifestRecord): number {
  return (record.state === 'ok' ? 2 * record.info.descriptor.size : 0) + 512;
}

/** A manifest blob as parsed: `invalid` means the file exists but is not a manifest this backend can read. */
export type ManifestRecord =
  | { state: 'missing' }
  | { state: 'invalid' }
  | { state: 'ok'; info: ManifestInfo; json: Record<string, unknown> };

/** Manifests reachable from index.json (entries and, recursively, index children), parsed. */
export interface LayoutGraph {
  manifests: Map<Digest, { descriptor: Descriptor; record: ManifestRecord }>;
}

/**
 * What a graph is counted for in the index.json cache: its records (which it keeps alive even once the
 * parsed-manifest cache let them go; counted in both bounds when both hold them) plus 128 B per map entry.
 */
export function layoutGraphCost(graph: LayoutGraph): number {
  let bytes = 0;
  for (const { record } of graph.manifests.values()) bytes += manifestRecordCost(record) + 128;
  return bytes;
}

export class LayoutStore {
  readonly paths: LayoutPaths;
  readonly indexes: IndexCache;
  readonly mutex = new KeyedMutex();
  readonly gc: boolean;
  readonly gcGraceMs: number;
  private readonly manifests: Lru<string, ManifestRecord>;

  constructor(root: string, options: LayoutOptions = {}) {
    this.paths = new LayoutPaths(root);
    setDurable(root, options.durable ?? true);
    this.gc = options.gc ?? true;
    this.gcGraceMs = options.gcGraceMs ?? 5 * 60_000;
    this.manifests = new Lru(options.manifestCacheBytes ?? MANIFEST_CACHE_BYTES, manifestRecordCost);
    this.indexes = new IndexCache(options.indexCacheBytes ?? INDEX_CACHE_BYTES);
  }

  /** How much the parsed-manifest cache holds: entries and their weight (bytes as {@link manifestRecordCost} counts). */
  get cachedManifests(): { entries: number; bytes: number } {
    return { entries: this.manifests.size, bytes: this.manifests.weight };
  }

  /** The directory of an existing repository (NAME_INVALID / NAME_UNKNOWN). */
  async open(repo: string): Promise<string> {
    return this.paths.existing(repo);
  }

  /** The directory of a repository to write, turned into an empty OCI layout when it is not one yet. */
  async openForWrite(repo: string): Promise<string> {
    const dir = await this.paths.forWrite(repo);
    try {
      if ((await fileSize(join(dir, LAYOUT_FILE))) !== undefined) return dir;
      await this.mutex.run(dir, async () => {
        if ((await fileSize(join(dir, LAYOUT_FILE))) !== undefined) return;
        // index.json first: `oci-layout` is what makes the directory a repository.
        if ((await fileSize(join(dir, INDEX_FILE))) === undefined) await this.indexes.save(dir, emptyIndex());
        await writeFileAtomic(join(dir, LAYOUT_FILE), LAYOUT_CONTENT);
      });
      return dir;
    } catch (error) {
      return storageError(error);
    }
  }

  async snapshot(dir: string, repo: string): Promise<IndexSnapshot> {
    try {
      return await this.indexes.load(dir, repo);
    } catch (error) {
      return storageError(error);
    }
  }

  /** Parses the manifest blob `digest` of `dir` (cached). */
  async manifest(dir: string, digest: Digest): Promise<ManifestRecord> {
    const key = `${dir}\0${digest}`;
    const cached = this.manifests.get(key);
    if (cached) return cached;
    const path = blobPath(dir, digest);
    const size = await fileSize(path);
    if (size === undefined) return { state: 'missing' };
    let record: ManifestRecord = { state: 'invalid' };
    if (size <= MAX_MANIFEST_BYTES) {
      const bytes = await readFile(path);
      try {
        if (matchesDigest(bytes, digest)) {
          const info = describeManifest(bytes, undefined, digest);
          record = { state: 'ok', info, json: JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown> };
        }
      } catch {
        record = { state: 'invalid' };
      }
    }
    this.manifests.set(key, record);
    return record;
  }

  /** Drops cached parses of deleted blobs. */
  forget(dir: string, digests: Iterable<Digest>): void {
    for (const digest of digests) this.manifests.delete(`${dir}\0${digest}`);
  }

  /** Exact bytes of a manifest; MANIFEST_UNKNOWN when absent, MANIFEST_INVALID when oversized, DIGEST_INVALID when corrupt. */
  async manifestBytes(dir: string, digest: Digest): Promise<Uint8Array> {
    const path = blobPath(dir, digest);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { detail: { digest } });
      if (info.size > MAX_MANIFEST_BYTES) {
        throw new RegistryError('MANIFEST_INVALID', `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`, { detail: { digest } });
      }
      const bytes = new Uint8Array(await readFile(path));
      if (!matchesDigest(bytes, digest)) {
        throw new RegistryError('DIGEST_INVALID', 'stored manifest does not match its digest', { detail: { digest } });
      }
      return bytes;
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) {
        throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { detail: { digest } });
      }
      return storageError(error);
    }
  }

  /**
   * The descriptor of manifest `digest`: media type from an index.json entry when there is one, else from
   * the body. MANIFEST_UNKNOWN when the blob is missing or is not a manifest.
   */
  async manifestDescriptor(dir: string, snapshot: IndexSnapshot, digest: Digest): Promise<Descriptor> {
    const unknown = () => new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { detail: { digest } });
    const size = await fileSize(blobPath(dir, digest)).catch(storageError);
    if (size === undefined) throw unknown();
    const entry = snapshot.document.manifests.find((candidate) => candidate.digest === digest);
    if (entry) return { mediaType: entry.mediaType, digest, size };
    const record = await this.manifest(dir, digest).catch(storageError);
    if (record.state !== 'ok') throw unknown();
    return { mediaType: record.info.descriptor.mediaType, digest, size };
  }

  /** Manifests reachable from `entries` through index children (entries included), parsed. */
  async walk(dir: string, entries: readonly Descriptor[]): Promise<LayoutGraph> {
    const manifests: LayoutGraph['manifests'] = new Map();
    let level = entries.filter((entry) => !manifests.has(entry.digest));
    while (level.length > 0) {
      const fresh = new Map<Digest, Descriptor>();
      for (const descriptor of level) if (!manifests.has(descriptor.digest)) fresh.set(descriptor.digest, descriptor);
      // Bounded, so a repository with thousands of manifests does not open thousands of files at once.
      const records = await mapConcurrent(fresh.values(), 16, async (d) => [d, await this.manifest(dir, d.digest)] as const);
      const next: Descriptor[] = [];
      for (const [descriptor, record] of records) {
        manifests.set(descriptor.digest, { descriptor, record });
        if (record.state === 'ok') next.push(...record.info.references.manifests.filter((c) => !manifests.has(c.digest)));
      }
      level = next;
    }
    return { manifests };
  }

  /** The graph of the current snapshot, computed once per index.json version. */
  graph(dir: string, snapshot: IndexSnapshot): Promise<LayoutGraph> {
    if (!snapshot.graph) {
      const graph = this.walk(dir, snapshot.document.manifests).then((done) => {
        // Counted in the bound of the index.json cache, which holds it with the snapshot.
        this.indexes.weighGraph(dir, snapshot, layoutGraphCost(done));
        return done;
      });
      snapshot.graph = graph;
      // A failed walk must not be cached.
      graph.catch(() => {
        if (snapshot.graph === graph) delete snapshot.graph;
      });
    }
    return (snapshot.graph as Promise<LayoutGraph>).catch(storageError);
  }
}
