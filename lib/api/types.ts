/**
 * Shapes of Porthole's JSON API (`/api/...`). This is a public contract (see docs/api.md): dashboards and
 * scripts depend on it. Add fields; never rename or remove them.
 */
import type { WireError } from '@/lib/oci/errors';
import type { ArtifactKind, TagKind } from '@/lib/oci/artifact-kind';
import type { ManifestKind } from '@/lib/oci/manifest';
import type { Descriptor, Digest } from '@/lib/oci/types';
import type { CopyEvent, CopyResult } from '@/lib/registry/copy/types';
import type { ConfigDiff } from '@/lib/compare/config-diff';
import type { DirectoryDelta, FileChange } from '@/lib/compare/files-diff';
import type { ImageLayer } from '@/lib/layers/types';

export interface ApiErrorBody {
  errors: WireError[];
}

export type SourceKind = 'http' | 'layout' | 'memory' | 'unify';

export interface SourceSummary {
  name: string;
  kind: SourceKind;
  /** Registry URL (http sources only); never carries credentials. */
  url?: string;
  /** Registry host as used in pull commands (`host[:port]`), when known. */
  host?: string;
  /** Deletion allowed on this source (`delete: true` in the config). */
  delete: boolean;
  /** Why deletion is not offered, for the UI (e.g. "read-only source"). */
  readOnlyReason?: string;
  /** Pushing into this source is allowed (`write: true`): a destination for "Copy to…". Absent when not. */
  write?: boolean;
  /** Repositories named by the `repositories:` setting, offered when the registry has no catalog. */
  repositories?: string[];
}

/**
 * `GET /api/sources/{source}/deletion?repo=`: whether deleting really works on a source, as the registry
 * itself answers (a configuration can say `delete: true` for a registry that has deletion disabled).
 */
export interface DeletionResponse {
  /** Deleting works: the configuration allows it and the registry does not refuse it (or cannot tell). */
  allowed: boolean;
  /** How the registry deletes a tag (`native`, `placeholder`), `unsupported`, or `unknown` when it cannot tell. */
  tagDelete: 'native' | 'placeholder' | 'unsupported' | 'unknown';
  /** Why deleting is not allowed, or why it is not known. */
  reason?: string;
}

/** `GET /api/health`: the server runs and its configuration is valid (no registry is contacted). */
export interface HealthResponse {
  status: 'ok' | 'failing';
  /** Number of configured sources. */
  sources: number;
  /** With `?deep=1`: sources that are unreachable or reject their credentials (status 503 when any). */
  failing?: { name: string; error?: { code: string; message: string } }[];
}

/**
 * A source's live status (`GET /api/sources?status=1`), probed at `checkedAt` and cached briefly.
 * `auth`: `anonymous` (no credentials configured, the registry let us in), `accepted`, `rejected` (401/403 with
 * the configured credentials), `unknown` (not reached), `none` (layout and memory sources).
 */
export interface SourceStatus {
  reachable: boolean;
  auth: 'anonymous' | 'accepted' | 'rejected' | 'unknown' | 'none';
  /** `_catalog` answers (false: the registry has none or denies it; see the catalog page's "open by name"). */
  catalog: boolean | 'unknown';
  referrersApi: boolean | 'unknown';
  /** How tags are deleted on this source as configured (`unsupported` on a read-only source). */
  tagDelete: DeletionResponse['tagDelete'];
  /** `GET /v2/` round trip (token request included), null when nothing answered. */
  latencyMs: number | null;
  /** Why the source is down or refuses the credentials. */
  error?: { code: string; message: string };
  /** ISO time of the probe. */
  checkedAt: string;
}

export interface SourcesResponse {
  sources: (SourceSummary & { status?: SourceStatus })[];
}

export interface RepositoriesResponse {
  repositories: string[];
  /** Cursor for the next page (pass as `last`), null at the end. */
  next: string | null;
}

/** GET /api/sources/{source}/catalog: every repository, from the catalog Porthole keeps (docs/api.md). */
export interface CatalogResponse {
  /** Every repository, in the registry's order. */
  repositories: string[];
  /** When this list was read from the registry (ISO 8601). */
  listedAt: string;
  /** How long the list is answered before it is read again in the background (`catalogCacheSeconds`). */
  cacheSeconds: number;
  /** A refresh is running: asking again shortly may answer a newer list. */
  refreshing: boolean;
  /** The last refresh failed; the list is the one read before it. */
  refreshError?: { code: string; message: string; at: string };
}

/** What a tag name says it is, and friendly kinds of attached artifacts: defined with the OCI model. */
export type { ArtifactKind, TagKind };

export type AttachedCounts = Partial<Record<ArtifactKind, number>>;

export interface TagRow {
  name: string;
  kind: TagKind;
  /** For fallback and cosign tags: the digest the tag is about. */
  subjectDigest?: Digest;
  /** Null while details are not loaded (`details=false`) or when the tag could not be resolved (see `error`). */
  digest: Digest | null;
  mediaType: string | null;
  manifestKind: ManifestKind | null;
  /** Bytes: an image's config + layers; an index: the total of its platform images. */
  size: number | null;
  /**
   * RFC 3339, from the image config (an index: its newest platform). Null when unknown, including the
   * placeholder times of reproducible builds (before 1980, see `createdPlaceholder`).
   */
  created: string | null;
  /** The placeholder time the image carries instead of a build time (`1970-01-01T00:00:00Z`, `0001-01-01T00:00:00Z`). */
  createdPlaceholder?: string;
  /** `os/arch[/variant]`, attestations excluded. */
  platforms: string[];
  artifactType?: string;
  /** Other tags on the same digest. */
  sharedWith: string[];
  /**
   * Referrers of this tag's digest that Porthole saw (listed in its fallback index or tagged by cosign), each
   * manifest counted once however many tags name it. The referrer graph shows them.
   */
  attached?: AttachedCounts;
  /** An index: its attestation entries (BuildKit attestation manifests), by kind. Not referrers: they are entries of the index. */
  indexAttestations?: AttachedCounts;
  /** Set when details for this tag failed; the row is still listed. */
  error?: WireError;
}

export interface TagsResponse {
  tags: TagRow[];
  next: string | null;
  /** Number of tags matching `q` across the repository (before paging). */
  total: number;
}

export interface ChildManifest {
  descriptor: Descriptor;
  /** `os/arch[/variant]`, null when the descriptor has no platform. */
  platform: string | null;
  attestation: boolean;
  /** Set when the child could not be read (sparse index, unknown media type). */
  missing?: WireError;
}

export interface HistoryEntry {
  created?: string;
  createdBy?: string;
  comment?: string;
  emptyLayer: boolean;
  /** The layer this step made (non-empty steps map to layers in order). */
  layer?: { digest: Digest; size: number };
}

export interface ConfigSummary {
  digest: Digest;
  mediaType: string;
  created?: string;
  os?: string;
  architecture?: string;
  variant?: string;
  user?: string;
  workingDir?: string;
  entrypoint?: string[];
  cmd?: string[];
  env: string[];
  labels: Record<string, string>;
  exposedPorts: string[];
  history: HistoryEntry[];
}

export interface ManifestResponse {
  descriptor: Descriptor;
  /** The exact bytes the registry served, as text. */
  raw: string;
  manifest: unknown;
  kind: ManifestKind;
  artifactType?: string;
  annotations?: Record<string, string>;
  /** Tags on this digest, when the reference was a tag or the repository's tags are cached. */
  tags?: string[];
  /**
   * True when `tags` is every tag on this digest (all the repository's tags were resolved within the tag cache
   * time); false when tags not yet checked may point here too (Porthole is checking them in the background).
   */
  tagsComplete?: boolean;
  children?: ChildManifest[];
  config?: ConfigSummary;
  /** Set when the config blob could not be read or parsed. */
  configError?: WireError;
  layers?: Descriptor[];
  subject?: Descriptor;
}

export type ReferrerFoundBy = 'api' | 'fallback-tag' | 'scan';

export interface ReferrerNode {
  digest: Digest;
  mediaType: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  kind: ArtifactKind;
  /** `org.opencontainers.image.created` annotation, when present. */
  created?: string;
  foundBy: ReferrerFoundBy;
  referrers: ReferrerNode[];
  /** Set when the walk stopped here: `depth` reached, or a cycle. */
  truncated?: 'depth' | 'cycle';
}

export interface ReferrersResponse {
  subject: Digest;
  referrers: ReferrerNode[];
}

export interface DeleteTagResponse {
  tag: string;
  digest: Digest;
  method: 'native' | 'placeholder';
  /** Tags still pointing at `digest` after the delete. */
  remainingTags: string[];
}

export interface DeleteManifestResponse {
  deleted: Digest[];
  tags: string[];
}

/** A manifest a delete removes (see {@link DeletePlan}). */
export interface DeletePlanManifest {
  digest: Digest;
  mediaType: string;
  kind: ManifestKind;
  artifactType?: string;
  /** `target`: the manifest the delete was asked for; `referrer`: a manifest whose `subject` is a deleted one. */
  role: 'target' | 'referrer';
  /** For referrers: the deleted manifest named by its `subject` (read from the referrer itself). */
  subject?: Digest;
  /** Every tag on this digest: they all go with it. */
  tags: string[];
}

/** A tag a delete removes. */
export interface DeletePlanTag {
  name: string;
  kind: TagKind;
  /** The digest the tag points at. */
  digest: Digest;
  /**
   * `on-deleted-manifest`: the tag points at a deleted manifest; `emptied-referrers-index`: a `sha256-…`
   * referrers fallback tag whose index lists only deleted referrers, removed when it empties.
   */
  why: 'on-deleted-manifest' | 'emptied-referrers-index';
  /** For fallback and cosign tags: the digest the tag is about. */
  subjectDigest?: Digest;
}

/** An index in the repository (reached from a tag) that lists a manifest the delete removes: it breaks. */
export interface DeletePlanIndex {
  digest: Digest;
  mediaType: string;
  /** Its tags. */
  tags: string[];
  /** The deleted manifests it lists. */
  lists: Digest[];
}

/** A manifest that a referrers listing names for a deleted manifest but whose own `subject` says otherwise: kept. */
export interface DeletePlanNotReferrer {
  digest: Digest;
  /** The deleted manifest whose referrers listing (API or fallback index) named it. */
  listedFor: Digest;
  /** Its real subject (null: none, or it could not be read). */
  subject: Digest | null;
  reason: string;
}

/** A fallback or cosign tag about a deleted manifest that stays (pointing at data about a manifest that is gone). */
export interface DeletePlanLeftTag {
  name: string;
  kind: TagKind;
  digest: Digest;
  subjectDigest: Digest;
}

/**
 * `GET …/-/delete-plan/{digest}[?cascade=referrers]`: exactly what `DELETE …/-/manifests/{digest}` would remove,
 * from every tag of the repository resolved and every referrer's own `subject` read.
 */
export interface DeletePlan {
  repository: string;
  digest: Digest;
  cascade: boolean;
  /** Every manifest that goes: the target first, then its referrers (cascade only). */
  manifests: DeletePlanManifest[];
  /** Every tag that goes, byte order. */
  tags: DeletePlanTag[];
  /** Manifests whose subject is the target (recursively), found whether or not `cascade` deletes them. */
  referrers: DeletePlanManifest[];
  referencedBy: DeletePlanIndex[];
  notReferrers: DeletePlanNotReferrer[];
  leftTags: DeletePlanLeftTag[];
  /** How many tags of the repository were resolved to build the plan (all of them). */
  tagsChecked: number;
  /** RFC 3339 time the plan was made. */
  checkedAt: string;
  /** What to send back as the DELETE's `expect` so that it deletes exactly this. */
  expect: DeleteExpectation;
}

/** The confirmed outcome of a manifest delete: the DELETE refuses (409) when the registry would now do otherwise. */
export interface DeleteExpectation {
  manifests: Digest[];
  tags: string[];
}

/** One line of the delete plan's NDJSON stream (`Accept: application/x-ndjson`). */
export type DeletePlanEvent =
  | { type: 'progress'; resolved: number; total: number }
  | { type: 'plan'; plan: DeletePlan }
  | { type: 'error'; error: WireError };

/**
 * Body of `POST /api/copy` (docs/copy.md). `from`: `SOURCE/REPO:TAG`, `…@DIGEST` or `…:TAG@DIGEST` (the tag must
 * still point at the digest), or the same with a registry host instead of the source name; `to`:
 * `SOURCE/REPO[:TAG]` (without a tag the copy is by digest only).
 */
export interface CopyRequest {
  from: string;
  to: string;
  /** Copy signatures, SBOMs and attestations too, recursively (default true). */
  referrers?: boolean;
  /** Only these platforms of an index (`os/arch[/variant]`); default every platform. */
  platforms?: string[];
}

/** The JSON answer of `POST /api/copy`, and the last line of its NDJSON stream (with `type: 'result'`). */
export type CopyResponse = CopyResult;

/**
 * One line of the `POST /api/copy` NDJSON stream (`Accept: application/x-ndjson`): the copy's progress events,
 * then exactly one `result` or `error` line.
 */
export type CopyStreamLine =
  | CopyEvent
  | ({ type: 'result' } & CopyResponse)
  | { type: 'error'; error: WireError };

/** One side of `GET …/-/compare`: where the image is and which manifest was read. */
export interface CompareSide {
  source: string;
  repository: string;
  reference: string;
  /** Digest of the image manifest compared (the platform's, for an index). */
  manifest: string;
  platform?: string;
}

/** `GET …/-/compare?from&to[&platform]` (docs/api.md). */
export interface CompareResponse {
  from: CompareSide;
  to: CompareSide;
  config: ConfigDiff;
  layers: { shared: ImageLayer[]; onlyFrom: ImageLayer[]; onlyTo: ImageLayer[] };
  files: {
    totals: { added: number; removed: number; changed: number; sizeDelta: number };
    directories: DirectoryDelta[];
    changes: FileChange[];
    /** More changes than listed. */
    truncated: boolean;
  };
}

/**
 * One line of the streamed tags answer (`Accept: application/x-ndjson` on `…/-/tags`, docs/api.md): `start` once
 * the tag list is known, a `row` per tag as soon as its details are (a later `row` of the same name replaces the
 * earlier one: shared tags and attached artifacts are complete only once every tag was read), then `end`. A
 * stream whose work failed ends with an `error` line instead (the wire format of JSON errors).
 */
export type TagStreamEvent =
  | { type: 'start'; /** Tags in the repository, all to be read. */ tags: number }
  | { type: 'row'; row: TagRow }
  | {
      type: 'end';
      /** Rows sent (tags matching `q`), as `total` of the paged answer. */
      total: number;
      /** Rows that carry an `error` (their tag could not be read). */
      errors: number;
    };
