/**
 * The registry interface: one contract over catalog, tags, manifests, blobs and referrers, implemented by
 * the HTTP client (`./http`), OCI image-layout directories (`./layout`), an in-memory store (`./memory`)
 * and wrappers (`./filter`). Shaped after cue-labs' `ociregistry.Interface` and regclient's `scheme.API`.
 *
 * Every method rejects with a {@link RegistryError}; the codes each one may throw are listed on it.
 * Repository names, tags and digests are validated by every implementation (NAME_INVALID, TAG_INVALID,
 * DIGEST_INVALID) before any I/O.
 *
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md
 */
import type { Descriptor, Digest } from '@/lib/oci/types';

export type { Descriptor, Digest };

/** Options every I/O method takes; `signal` aborts the call (and the HTTP requests under it). */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Options of the list methods. */
export interface ListOptions extends CallOptions {
  /** Items up to and including this one are skipped (the spec's `last`). */
  startAfter?: string;
  /** Page size used on the wire, where the backend pages (1..1000). Does not limit the iteration. */
  pageSize?: number;
  /**
   * Called after each page the backend fetched, with whether the registry says more pages follow (a `Link`
   * header, or a full page from a registry that pages without links). Lets a caller that stops after `n` items
   * tell "more to come" from "that was all" without fetching another page. Backends that read locally don't call it.
   */
  onPage?: (more: boolean) => void;
}

export interface ReferrersOptions extends CallOptions {
  /** Only referrers with this artifactType. */
  artifactType?: string;
}

/** A byte range of a blob, both ends inclusive (HTTP `Range: bytes=start-end`). `end` open means to the end. */
export interface ByteRange {
  start: number;
  end?: number;
}

/** A manifest as stored: the exact bytes (hash them, never re-serialise) and its descriptor. */
export interface ManifestContent {
  /** mediaType (from the registry's `Content-Type`, else from the body), digest of `bytes`, size. */
  descriptor: Descriptor;
  bytes: Uint8Array;
}

/** A blob's body as a stream; `descriptor.size` is the full blob size even when a range was asked for. */
export interface BlobContent {
  descriptor: Descriptor;
  body: ReadableStream<Uint8Array>;
  /**
   * The same content as `body`, when the backend has it in memory already (`blob-bytes.ts`): read it with
   * `readBlobBytes`, which then needs no stream. Shared with the cache that keeps it: never to be changed.
   */
  bytes?: Uint8Array;
  /** The range actually served, when a range was requested. */
  range?: { start: number; end: number };
}

/** How a tag was removed. */
export type TagDeleteMethod =
  /** The registry removed the tag itself (`DELETE /v2/<name>/manifests/<tag>` answered 202, or a local backend). */
  | 'native'
  /** The tag was re-pointed at a unique placeholder manifest that was then deleted by digest. */
  | 'placeholder';

export interface DeleteTagResult {
  method: TagDeleteMethod;
  /** The digest the tag pointed at before deletion (still present unless nothing else references it). */
  digest: Digest;
}

export interface DeleteManifestOptions extends CallOptions {
  /** Also delete every manifest whose `subject` is this digest, recursively. */
  cascadeReferrers?: boolean;
}

export interface DeleteManifestResult {
  /** Every manifest digest deleted, the requested one first, then cascaded referrers. */
  deleted: Digest[];
  /** Every tag that went with the deleted manifests (the registry removes all tags on a digest). */
  tags: string[];
}

export interface PushManifestOptions extends CallOptions {
  /** Tag to push to; without it the manifest is pushed by digest. */
  tag?: string;
}

/**
 * What a backend can do. HTTP backends learn some of this by probing; `'unknown'` until they have.
 */
export interface Capabilities {
  /** Listing repositories (`_catalog`) works. */
  catalog: boolean | 'unknown';
  /** Pushing blobs and manifests works. */
  write: boolean | 'unknown';
  /** Deleting manifests by digest works (distribution: `storage.delete.enabled`). */
  manifestDelete: boolean | 'unknown';
  /** How tags can be deleted: natively, via a placeholder manifest, or not at all. */
  tagDelete: TagDeleteMethod | 'unsupported' | 'unknown';
  /** The registry serves the referrers API (otherwise the referrers tag schema is used). */
  referrersApi: boolean | 'unknown';
}

export interface RegistryReader {
  /** Descriptor of the manifest a tag points at. Throws NAME_INVALID, TAG_INVALID, NAME_UNKNOWN, MANIFEST_UNKNOWN. */
  resolveTag(repo: string, tag: string, options?: CallOptions): Promise<Descriptor>;
  /** Descriptor of a manifest by digest. Throws NAME_INVALID, DIGEST_INVALID, NAME_UNKNOWN, MANIFEST_UNKNOWN. */
  resolveManifest(repo: string, digest: Digest, options?: CallOptions): Promise<Descriptor>;
  /** Descriptor of a blob. Throws NAME_INVALID, DIGEST_INVALID, NAME_UNKNOWN, BLOB_UNKNOWN. */
  resolveBlob(repo: string, digest: Digest, options?: CallOptions): Promise<Descriptor>;
  /** Manifest a tag points at, exact bytes. Throws as resolveTag, plus MANIFEST_INVALID (oversized, bad body). */
  getTag(repo: string, tag: string, options?: CallOptions): Promise<ManifestContent>;
  /** Manifest by digest, bytes verified against the digest. Throws as resolveManifest, plus MANIFEST_INVALID, DIGEST_INVALID (mismatch). */
  getManifest(repo: string, digest: Digest, options?: CallOptions): Promise<ManifestContent>;
  /** Blob body, optionally a byte range. Throws as resolveBlob, plus RANGE_INVALID. */
  getBlob(repo: string, digest: Digest, options?: CallOptions & { range?: ByteRange }): Promise<BlobContent>;
}

export interface RegistryLister {
  /** Repository names in the registry's order, after `startAfter`. Throws UNSUPPORTED (no catalog), UNAUTHORIZED, DENIED. */
  listRepositories(options?: ListOptions): AsyncIterable<string>;
  /** Tags of a repository, sorted (byte order), after `startAfter`. Throws NAME_INVALID, NAME_UNKNOWN. */
  listTags(repo: string, options?: ListOptions): AsyncIterable<string>;
  /**
   * Manifests whose `subject` is `digest`: descriptors with `artifactType` (the manifest's, else its config
   * media type) and `annotations`. Throws NAME_INVALID, DIGEST_INVALID, NAME_UNKNOWN.
   */
  listReferrers(repo: string, digest: Digest, options?: ReferrersOptions): AsyncIterable<Descriptor>;
}

export interface RegistryWriter {
  /** Stores a blob; verifies digest and size. Throws NAME_INVALID, DIGEST_INVALID, SIZE_INVALID, DENIED, UNSUPPORTED. */
  pushBlob(repo: string, descriptor: Descriptor, body: Uint8Array | ReadableStream<Uint8Array>, options?: CallOptions): Promise<Descriptor>;
  /** Makes a blob of `fromRepo` available in `repo`. Throws BLOB_UNKNOWN, NAME_INVALID, DENIED, UNSUPPORTED. */
  mountBlob(fromRepo: string, repo: string, digest: Digest, options?: CallOptions): Promise<Descriptor>;
  /**
   * Stores a manifest (exact bytes) by digest, and points `options.tag` at it when given. Keeps the referrers
   * fallback index up to date where the backend has no referrers API. Throws NAME_INVALID, TAG_INVALID,
   * MANIFEST_INVALID (bad JSON, media type mismatch, over 4 MiB), MANIFEST_BLOB_UNKNOWN, DENIED, UNSUPPORTED.
   */
  pushManifest(repo: string, bytes: Uint8Array, mediaType: string, options?: PushManifestOptions): Promise<Descriptor>;
}

export interface RegistryDeleter {
  /**
   * Removes one tag and nothing else: other tags on the same digest stay. Throws NAME_INVALID, TAG_INVALID,
   * NAME_UNKNOWN, MANIFEST_UNKNOWN, UNSUPPORTED (no safe way to delete only the tag), DENIED.
   */
  deleteTag(repo: string, tag: string, options?: CallOptions): Promise<DeleteTagResult>;
  /**
   * Removes a manifest and every tag pointing at it (optionally its referrers, recursively), and its entry in
   * its subject's referrers fallback index. Throws NAME_INVALID, DIGEST_INVALID, NAME_UNKNOWN,
   * MANIFEST_UNKNOWN, UNSUPPORTED, DENIED.
   */
  deleteManifest(repo: string, digest: Digest, options?: DeleteManifestOptions): Promise<DeleteManifestResult>;
  /** Removes a blob. Throws NAME_INVALID, DIGEST_INVALID, BLOB_UNKNOWN, UNSUPPORTED, DENIED. */
  deleteBlob(repo: string, digest: Digest, options?: CallOptions): Promise<void>;
}

export interface Registry extends RegistryReader, RegistryLister, RegistryWriter, RegistryDeleter {
  /** What this backend can do, for `repo` where it differs per repository. */
  capabilities(repo?: string, options?: CallOptions): Promise<Capabilities>;
  /** Releases connections and timers. Idempotent. */
  close(): Promise<void>;
}

/** What browsing code needs; takes the narrow type so read-only use is checked by the compiler. */
export type BrowsingRegistry = RegistryReader & RegistryLister & Pick<Registry, 'capabilities'>;
