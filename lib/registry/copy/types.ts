/**
 * Types of copying a manifest between repositories (and registries): what is asked, what happens, what is
 * reported. Shaped after the `CopyManifest` of cue-labs' `ociref` proposal.
 */
import type { Descriptor, Digest } from '@/lib/oci/types';
import type { CallOptions, Registry } from '@/lib/registry/registry';

/** One side of a copy: a registry and a repository in it. */
export interface CopyEndpoint {
  registry: Registry;
  repo: string;
}

/** Where a copy starts: a tag or a digest (with both, the tag must still point at the digest). */
export interface CopySource extends CopyEndpoint {
  tag?: string;
  digest?: Digest;
}

/** Where a copy goes; `tag` is pointed at the copied manifest last (without it the copy is by digest only). */
export interface CopyTarget extends CopyEndpoint {
  tag?: string;
}

export interface CopyOptions extends CallOptions {
  /** Copy every referrer (signatures, SBOMs, attestations) of every copied manifest, recursively. Default true. */
  referrers?: boolean;
  /**
   * Only these platforms of an index (`os/arch[/variant]`). The index itself is copied byte for byte, so it can
   * only be pushed when its other children are already at the destination; otherwise the copy is refused before
   * anything is sent.
   */
  platforms?: readonly string[];
  /** Blobs sent at once (default 4). */
  concurrency?: number;
  /**
   * Whether `from.registry` and `to.registry` are one registry, so blobs can be mounted instead of sent.
   * Default: the two are the same object.
   */
  sameRegistry?: boolean;
  /** Called with every progress event, in order. */
  onEvent?: (event: CopyEvent) => void;
}

/** What happened to one blob or manifest. */
export type CopyAction = 'sent' | 'skipped' | 'mounted';

/** A manifest found while planning, with what it needs at the destination. */
export interface PlannedManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
  /** Config, layers (and non-manifest index entries), each once. */
  blobs: Descriptor[];
  /** Child manifests to copy first (all of an index's children, or the chosen platforms). */
  children: Digest[];
  /** Child manifests the destination must already have (platforms not chosen). */
  required: Digest[];
  /** Why this manifest is copied. */
  role: 'root' | 'child' | 'referrer';
}

/** Everything a copy will consider, children before parents, each manifest once. */
export interface CopyPlan {
  root: Descriptor;
  manifests: PlannedManifest[];
  /** Every blob, each once. */
  blobs: Descriptor[];
  /** Sum of blob and manifest sizes. */
  bytes: number;
}

export type CopyEvent =
  | { type: 'plan'; manifests: number; blobs: number; bytes: number }
  | { type: 'blob'; digest: Digest; size: number; action: CopyAction }
  | { type: 'manifest'; digest: Digest; mediaType: string; action: Exclude<CopyAction, 'mounted'>; role: PlannedManifest['role'] }
  | { type: 'progress'; bytesDone: number; bytesTotal: number; itemsDone: number; itemsTotal: number }
  | { type: 'tag'; tag: string; digest: Digest };

export interface CopyResult {
  /** The copied manifest (the root). */
  digest: Digest;
  mediaType: string;
  /** The destination tag, when one was set. */
  tag?: string;
  /** Every manifest of the plan and what happened to it. */
  manifests: { digest: Digest; mediaType: string; role: PlannedManifest['role']; action: Exclude<CopyAction, 'mounted'> }[];
  /** Referrers copied or already present (digests). */
  referrers: Digest[];
  blobs: { sent: number; skipped: number; mounted: number };
  /** Blob bytes actually sent (mounted and skipped blobs send nothing). */
  bytesSent: number;
}
