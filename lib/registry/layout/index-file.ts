/**
 * `index.json` of a repository layout: reading (cached per repository, keyed by mtime, size and inode so
 * listing a repository with hundreds of tags does not re-parse it), writing (atomic) and tag lookup. The cache
 * is bounded by weight (least recently used directory out): an evicted directory's index.json is read again.
 * Tags are `org.opencontainers.image.ref.name` annotations; full names ending in `:<tag>` are accepted too,
 * as regclient's ocidir does for layouts written by other tools.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/image-layout.md#indexjson-file
 */
import 'server-only';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RegistryError } from '@/lib/oci/errors';
import { Annotation, MediaType } from '@/lib/oci/media-types';
import { isValidTag } from '@/lib/oci/reference';
import type { Descriptor } from '@/lib/oci/types';
import { Lru } from '@/lib/registry/lru';
import { isErrno, writeFileAtomic } from './files';
import { INDEX_FILE } from './paths';

/** index.json as read: unknown top-level fields are kept and written back. */
export interface IndexDocument {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  [field: string]: unknown;
}

/** One version of a repository's index.json plus what was derived from it (derived data dies with it). */
export interface IndexSnapshot {
  readonly version: string;
  readonly document: IndexDocument;
  /** Tag → index.json entry. */
  readonly tags: ReadonlyMap<string, Descriptor>;
  /** Filled lazily by the store (reachable manifests, referrers). */
  graph?: Promise<unknown>;
}

export function emptyIndex(): IndexDocument {
  return { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] };
}

/** The tag an index.json entry carries: its ref.name when that is a tag, else the part after the last `:`. */
export function tagOfEntry(entry: Descriptor): { tag: string; exact: boolean } | undefined {
  const ref = entry.annotations?.[Annotation.RefName];
  if (typeof ref !== 'string' || ref === '') return undefined;
  if (isValidTag(ref)) return { tag: ref, exact: true };
  const colon = ref.lastIndexOf(':');
  const suffix = colon >= 0 ? ref.slice(colon + 1) : '';
  return suffix && isValidTag(suffix) ? { tag: suffix, exact: false } : undefined;
}

/** True for an entry without a ref.name: a manifest kept only so that it stays reachable by digest. */
export function isUntagged(entry: Descriptor): boolean {
  return entry.annotations?.[Annotation.RefName] === undefined;
}

function tagMap(document: IndexDocument): Map<string, Descriptor> {
  const tags = new Map<string, { entry: Descriptor; exact: boolean }>();
  for (const entry of document.manifests) {
    const found = tagOfEntry(entry);
    if (!found) continue;
    const previous = tags.get(found.tag);
    // An exact ref.name wins over a `name:tag` suffix; otherwise the first entry wins.
    if (!previous || (found.exact && !previous.exact)) tags.set(found.tag, { entry, exact: found.exact });
  }
  return new Map([...tags].map(([tag, { entry }]) => [tag, entry]));
}

function isDescriptorLike(value: unknown): value is Descriptor {
  const d = value as Partial<Descriptor> | null;
  return typeof d === 'object' && d !== null && typeof d.digest === 'string' && typeof d.mediaType === 'string';
}

function parseIndex(raw: string, repo: string): IndexDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const doc = parsed as Partial<IndexDocument> | undefined;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.manifests)) {
    throw new RegistryError('UNKNOWN', `index.json of repository "${repo}" is not a valid OCI index`);
  }
  // Entries without a digest or media type cannot be served; drop them instead of failing the repository.
  return { ...doc, schemaVersion: doc.schemaVersion ?? 2, manifests: doc.manifests.filter(isDescriptorLike) } as IndexDocument;
}

/**
 * Default bound of the index.json cache, in weighed bytes (see {@link IndexCache}): the same 32 MiB as the
 * layout's parsed-manifest cache, since a snapshot is rebuilt from local files just as cheaply. That keeps
 * over a hundred typical repositories (a 100-tag repository of single-platform images weighs about 0.25 MiB with
 * its graph: 2 × 215 B of index.json and 2 KiB of graph per tag); one heavier than the whole bound (some 13,000
 * such tags) is kept alone. Without a bound a long-running server over a
 * layout with many repositories kept every index.json it ever read, each with its graph of parsed manifests.
 */
export const INDEX_CACHE_BYTES = 32 * 1024 * 1024;

/** A cached snapshot with what it is weighed by. */
interface CachedIndex {
  snapshot: IndexSnapshot;
  /** Size of index.json as read or written. */
  fileBytes: number;
  /** Weight of the snapshot's graph once computed (see {@link IndexCache.weighGraph}); 0 before. */
  graphBytes: number;
}

/**
 * A snapshot's weight: its parsed document and tag map take about 1.3 times the file's size on the heap
 * (555 KB for a 429 KB index.json of 2,000 entries, measured on Node 20), counted as twice the size, plus 512 B
 * for the key (the directory path) and map entry, plus its graph once that is known.
 */
function cachedIndexCost(cached: CachedIndex): number {
  return 2 * cached.fileBytes + 512 + cached.graphBytes;
}

/** Reads and caches index.json files by repository directory, within a bound (in weighed bytes). */
export class IndexCache {
  private readonly snapshots: Lru<string, CachedIndex>;

  constructor(maxBytes: number = INDEX_CACHE_BYTES) {
    this.snapshots = new Lru(maxBytes, cachedIndexCost);
  }

  /** How much the cache holds: directories and their weight (bytes as counted above). */
  get cached(): { entries: number; bytes: number } {
    return { entries: this.snapshots.size, bytes: this.snapshots.weight };
  }

  /** The current snapshot of `dir`'s index.json (an empty index when the file is missing). */
  async load(dir: string, repo: string): Promise<IndexSnapshot> {
    const file = join(dir, INDEX_FILE);
    let version: string;
    let fileBytes = 0;
    try {
      const info = await stat(file);
      version = `${info.mtimeMs}:${info.size}:${info.ino}`;
      fileBytes = info.size;
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
      version = 'missing';
    }
    const cached = this.snapshots.get(dir);
    if (cached && cached.snapshot.version === version) return cached.snapshot;
    const document = version === 'missing' ? emptyIndex() : parseIndex(await readFile(file, 'utf8'), repo);
    const snapshot: IndexSnapshot = { version, document, tags: tagMap(document) };
    this.snapshots.set(dir, { snapshot, fileBytes, graphBytes: 0 });
    return snapshot;
  }

  /** Writes index.json atomically and caches what was written. */
  async save(dir: string, document: IndexDocument): Promise<IndexSnapshot> {
    const file = join(dir, INDEX_FILE);
    const text = JSON.stringify(document);
    await writeFileAtomic(file, text);
    const info = await stat(file);
    const snapshot: IndexSnapshot = {
      version: `${info.mtimeMs}:${info.size}:${info.ino}`,
      document,
      tags: tagMap(document),
    };
    this.snapshots.set(dir, { snapshot, fileBytes: info.size, graphBytes: 0 });
    return snapshot;
  }

  /**
   * Counts the graph the store computed for `snapshot` (its weight in bytes) in the cache's bound, when
   * `snapshot` is still the one cached for `dir` (else the graph dies with its snapshot and nothing is kept).
   */
  weighGraph(dir: string, snapshot: IndexSnapshot, graphBytes: number): void {
    const cached = this.snapshots.peek(dir);
    if (cached?.snapshot === snapshot) this.snapshots.set(dir, { ...cached, graphBytes });
  }

  /** Forgets derived data of `dir` (after blobs were removed behind the index's back). */
  invalidate(dir: string): void {
    this.snapshots.delete(dir);
  }
}
