/**
 * Shapes of cleanup (retention) policies, plans and execution results. Pure: shared by the planner, the
 * JSON API (`POST /api/sources/{source}/cleanup`), the CLI and the UI. Public contract like
 * `lib/api/types.ts` (see docs/cleanup.md): add fields, never rename or remove them.
 */
import type { TagKind } from '@/lib/api/types';
import type { WireError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';

/** One retention rule, applied per repository to the tags whose name matches `match`. */
export interface CleanupRule {
  /** JavaScript regular expression tested against tag names (unanchored: use `^`/`$`). */
  match: string;
  /** The newest N matching tags (by `created`) are kept. Default 0. */
  keepNewest?: number;
  /** Of the tags beyond `keepNewest`, only those created more than this many days ago are deleted. */
  olderThanDays?: number;
}

/** A cleanup policy as accepted by the API and the CLI (after validation and defaults). */
export interface CleanupPolicy {
  /** Repository names or patterns: `*` and `?` stay inside one path component, `**` crosses `/`. */
  repositories: string[];
  rules: CleanupRule[];
  /** Regular expressions on tag names: a matching tag is never deleted. */
  protect: string[];
  /** True (the default): plan only, change nothing. */
  dryRun: boolean;
  /** RFC 3339 instant the ages are measured from (default: the time of planning). For reproducible plans. */
  now?: string;
}

/** One problem found in a policy; `field` is a path such as `rules[0].match` (empty for the whole document). */
export interface PolicyFieldError {
  field: string;
  message: string;
}

export type PolicyParseResult = { ok: true; policy: CleanupPolicy } | { ok: false; errors: PolicyFieldError[] };

/** What the planner needs to know about a tag. `TagRow` from `lib/api/types.ts` fits. */
export interface PlanTagInput {
  name: string;
  /** Null when the tag could not be resolved: such a tag is never deleted. */
  digest: Digest | null;
  /** RFC 3339 (image config `created`); null, unparsable or a placeholder (before 1980) counts as unknown. */
  created: string | null;
  /** A reproducible build's placeholder time the image carries instead (the tags API's `createdPlaceholder`). */
  createdPlaceholder?: string;
  size?: number | null;
  /** Default `tag`. Referrers-fallback and cosign tags are never deleted by rules. */
  kind?: TagKind;
  /** For fallback and cosign tags: the digest the tag is about. */
  subjectDigest?: Digest;
  /** Set when details for this tag failed: the tag is never deleted. */
  error?: WireError;
}

export interface RepositoryInput {
  repository: string;
  tags: PlanTagInput[];
}

/** A tag the plan deletes. */
export interface PlanDelete {
  repository: string;
  tag: string;
  /** The digest the tag pointed at when planned; execution only deletes the tag if it still points here. */
  digest: Digest;
  created: string | null;
  size: number | null;
  /** Indexes (into `policy.rules`) of the rules that delete this tag. */
  rules: number[];
}

export type KeepReason =
  /** Matches a `protect` pattern. */
  | 'protected'
  /** Among the `keepNewest` newest tags of a rule. */
  | 'newest'
  /** Not older than the rule's `olderThanDays`. */
  | 'recent'
  /** The rule has `olderThanDays` but the tag's creation time is unknown. */
  | 'no-created'
  /** Matches no rule. */
  | 'no-rule'
  /** The tag's digest could not be read: Porthole never deletes what it could not check. */
  | 'unresolved'
  /** A referrers-fallback (`sha256-…`) or cosign (`.sig`/`.att`/`.sbom`) tag: attached data, not a release. */
  | 'artifact-tag';

/** A tag the plan keeps, and why. */
export interface PlanKeep {
  repository: string;
  tag: string;
  digest: Digest | null;
  created: string | null;
  reason: KeepReason;
  /** The rule that keeps it (`newest`, `recent`, `no-created`). */
  rule?: number;
  /** The protection that keeps it (`protected`). */
  protect?: number;
  /** For people, e.g. "newest 2 of 5 kept by rule 1 (^ci-)". */
  detail: string;
}

/**
 * A manifest whose every tag the plan deletes. It stays in the registry, reachable by digest and holding its
 * blobs, until it is deleted by digest (layout sources: Porthole does it after the run); then garbage
 * collection can free what it alone used.
 */
export interface UntaggedManifest {
  repository: string;
  digest: Digest;
  /** The tags the plan removes from it (all it had). */
  tags: string[];
  size: number | null;
}

/** Something attached to a manifest that the plan leaves without tags. */
export interface AffectedReferrer {
  repository: string;
  /** The untagged manifest it refers to. */
  subject: Digest;
  /** `referrer`: a manifest whose `subject` is the untagged digest; `tag`: a fallback/cosign tag about it. */
  via: 'referrer' | 'tag';
  digest?: Digest;
  tag?: string;
  artifactType?: string;
}

/** How good the reclaimable-bytes number is. */
export interface ReclaimEstimate {
  /** Distinct blobs and manifests that nothing left in their repository refers to. */
  blobs: number;
  /** False when some manifest could not be read: the number may be too high (a kept manifest unread) or too low. */
  exact: boolean;
  /** Why the estimate is not exact (digests that could not be read, and the error). */
  warnings: string[];
  /**
   * True when the figure is an upper bound: the registry stores a blob once for every repository and frees
   * it only when none links it, and the source has repositories outside this plan that may link some of these
   * blobs (or its repositories could not be listed). False when every repository of the source is in the
   * plan (the figure then accounts for all sharing), or the source stores each repository apart (layout).
   */
  upperBound: boolean;
  /** With `upperBound`: the repositories outside the plan (`names` at most 10), or null when they could not be listed. */
  otherRepositories?: { count: number; names: string[] } | null;
}

/** A repository that could not be planned (its tags could not be listed): nothing is deleted there. */
export interface RepositoryError {
  repository: string;
  error: WireError;
}

export interface CleanupPlan {
  source: string;
  /** The instant ages were measured from (RFC 3339). */
  now: string;
  policy: CleanupPolicy;
  /** Repositories the policy matched, sorted. */
  repositories: string[];
  delete: PlanDelete[];
  keep: PlanKeep[];
  untagged: UntaggedManifest[];
  referrers: AffectedReferrer[];
  /** Bytes of blobs and manifests no longer referenced by anything left in their repository; shared ones once. */
  reclaimableBytes: number;
  reclaim: ReclaimEstimate;
  errors: RepositoryError[];
  /** Lookups that failed without making the plan unsafe (e.g. referrers of an untagged manifest). */
  warnings: string[];
}

export type ExecutionStatus = 'deleted' | 'skipped' | 'failed';

/** The outcome of one planned deletion. */
export interface ExecutionItem {
  repository: string;
  tag: string;
  /** The planned digest. */
  digest: Digest;
  status: ExecutionStatus;
  /** How the tag was removed (`deleted` only). */
  method?: 'native' | 'placeholder';
  /** Why it was skipped (`skipped`) or what failed (`failed`), for people. */
  reason?: string;
  error?: WireError;
}

/**
 * A manifest the run left without tags, deleted by digest afterwards so that its blobs are freed at once
 * (layout sources only: Porthole is their garbage collector). Skipped when it got a tag again or a kept
 * index still lists it.
 */
export interface CollectedManifest {
  repository: string;
  digest: Digest;
  status: ExecutionStatus;
  reason?: string;
  error?: WireError;
}

/** How the space of deleted tags is actually freed, per source kind. */
export interface GcAdvice {
  kind: 'distribution' | 'layout' | 'memory';
  /** One paragraph for people. */
  message: string;
  /** Commands to run, when the operator has to do something. */
  commands: string[];
}

export interface CleanupResult {
  plan: CleanupPlan;
  items: ExecutionItem[];
  deleted: number;
  skipped: number;
  failed: number;
  /** True when execution stopped early after a failure (the rest are `skipped`). */
  stopped: boolean;
  /** No item failed and every repository was planned. */
  ok: boolean;
  /** Manifests this run actually left without tags (every planned tag of theirs deleted). */
  untagged: UntaggedManifest[];
  /** Layout sources: what happened to each of `untagged` afterwards (empty for other kinds). */
  collected: CollectedManifest[];
  gc: GcAdvice;
}

/**
 * One line of the NDJSON progress stream (`Accept: application/x-ndjson` on an executing POST): first
 * `plan`, then one `item` per planned deletion, on layout sources one `collect` per manifest left without
 * tags, then `result` (or `error` when execution could not start).
 */
export type CleanupEvent =
  | { type: 'plan'; plan: CleanupPlan }
  | { type: 'item'; item: ExecutionItem; index: number; total: number }
  | { type: 'collect'; item: CollectedManifest }
  | { type: 'result'; result: CleanupResult }
  | { type: 'error'; error: WireError };
