/**
 * Shapes of Porthole's JSON API (`/api/...`). This is a public contract (see docs/api.md): dashboards and
 * scripts depend on it. Add fields; never rename or remove them.
 */
import type { WireError } from '@/lib/oci/errors';
import type { ArtifactKind, TagKind } from '@/lib/oci/artifact-kind';
import type { ManifestKind } from '@/lib/oci/manifest';
import type { Descriptor, Digest } from '@/lib/oci/types';

export interface ApiErrorBody {
  errors: WireError[];
}

export type SourceKind = 'http' | 'layout' | 'memory';

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
}

/** `GET /api/health`: the server runs and its configuration is valid (no registry is contacted). */
export interface HealthResponse {
  status: 'ok';
  /** Number of configured sources. */
  sources: number;
}

export interface SourcesResponse {
  sources: SourceSummary[];
}

export interface RepositoriesResponse {
  repositories: string[];
  /** Cursor for the next page (pass as `last`), null at the end. */
  next: string | null;
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
  /** RFC 3339, from the image config (an index: its newest platform). */
  created: string | null;
  /** `os/arch[/variant]`, attestations excluded. */
  platforms: string[];
  artifactType?: string;
  /** Other tags on the same digest. */
  sharedWith: string[];
  /** Artifacts attached to this tag's digest that Porthole saw (fallback/cosign tags, index attestations). */
  attached?: AttachedCounts;
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
