/**
 * The retention planner: policy + tag rows → which tags go, which stay and why. Pure and deterministic
 * (the clock is an argument), so every rule is unit-tested without a registry.
 *
 * Semantics (docs/cleanup.md):
 * - Per repository and rule, the tags whose name matches `match` are ranked by `created`, newest first;
 *   unknown `created` sorts last, ties by name (byte order). Every matching tag takes a rank, protected
 *   ones included.
 * - The first `keepNewest` are kept. Of the rest, with `olderThanDays` only tags created more than that
 *   long before `now` are deleted (unknown `created` is never old enough); without it all of them are.
 * - A tag is deleted only if it is not protected, is an ordinary tag with a known digest, matches at least
 *   one rule and no matching rule keeps it.
 */
import type { TagKind } from '@/lib/api/types';
import { isPlaceholderDate } from '@/lib/oci/created-date';
import type { Digest } from '@/lib/oci/types';
import { compareCreatedTimes, createdMs } from '@/lib/tags/order';
import type { CompiledPolicy } from './policy';
import type { AffectedReferrer, KeepReason, PlanDelete, PlanKeep, PlanTagInput, RepositoryInput, UntaggedManifest } from './types';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The pure part of a plan (no registry reads): tags, untagged manifests, fallback/cosign tags affected. */
export interface TagPlan {
  delete: PlanDelete[];
  keep: PlanKeep[];
  untagged: UntaggedManifest[];
  /** Fallback and cosign tags about manifests the plan leaves untagged. */
  attachedTags: AffectedReferrer[];
}

type Verdict = { keep: true; reason: KeepReason; rule: number; detail: string } | { keep: false; rule: number };

interface Entry {
  tag: PlanTagInput;
  createdMs: number | null;
}

const COSIGN = /^(sha256|sha512)-([a-f0-9]+)\.(sig|att|sbom)$/;
const FALLBACK = /^(sha256|sha512)-([a-f0-9]{64,128})$/;

/** What a tag name says it is, for inputs that carry no `kind` (same rules as the tags API). */
export function tagKindOf(name: string): { kind: TagKind; subjectDigest?: Digest } {
  const fallback = FALLBACK.exec(name);
  if (fallback) return { kind: 'referrers-fallback', subjectDigest: `${fallback[1]}:${fallback[2]}` };
  const cosign = COSIGN.exec(name);
  if (cosign) {
    const kind = cosign[3] === 'sig' ? 'signature' : cosign[3] === 'att' ? 'attestation' : 'sbom';
    return { kind, subjectDigest: `${cosign[1]}:${cosign[2]}` };
  }
  return { kind: 'tag' };
}

/**
 * Milliseconds since the epoch, or null for a missing, unreadable or placeholder (before 1980) time: the one
 * reading of `created` (`lib/tags/order.ts`), which the tags page sorts by too.
 */
export const parseCreated = createdMs;

/** Newest first; unknown last; ties by name in byte order: the tags page's `-created` (`lib/tags/order.ts`). */
function byNewest(a: Entry, b: Entry): number {
  return compareCreatedTimes({ name: a.tag.name, ms: a.createdMs }, { name: b.tag.name, ms: b.createdMs }, true);
}

function days(ms: number): string {
  const d = ms / DAY_MS;
  return d >= 10 ? `${Math.floor(d)} days` : `${Math.floor(d * 10) / 10} days`;
}

/** Each rule's verdict on each tag it matches. */
function ruleVerdicts(compiled: CompiledPolicy, entries: Entry[], now: number): Map<string, Verdict[]> {
  const verdicts = new Map<string, Verdict[]>();
  compiled.rules.forEach(({ rule, regex }, i) => {
    const matching = entries.filter((e) => regex.test(e.tag.name)).sort(byNewest);
    const keepNewest = rule.keepNewest ?? 0;
    matching.forEach((entry, rank) => {
      let verdict: Verdict;
      const label = `rules[${i}] (${rule.match})`;
      if (rank < keepNewest) {
        verdict = { keep: true, reason: 'newest', rule: i, detail: `newest ${rank + 1} of ${matching.length} matching ${label}, which keeps ${keepNewest}` };
      } else if (rule.olderThanDays === undefined) {
        verdict = { keep: false, rule: i };
      } else if (entry.createdMs === null) {
        const placeholder = entry.tag.createdPlaceholder ?? (isPlaceholderDate(entry.tag.created) ? entry.tag.created : undefined);
        const unknown = placeholder ? `creation time unknown (${placeholder} is a reproducible-build placeholder)` : 'creation time unknown';
        verdict = { keep: true, reason: 'no-created', rule: i, detail: `${unknown}; ${label} deletes only tags older than ${rule.olderThanDays} days` };
      } else if (now - entry.createdMs > rule.olderThanDays * DAY_MS) {
        verdict = { keep: false, rule: i };
      } else {
        const age = Math.max(0, now - entry.createdMs);
        verdict = { keep: true, reason: 'recent', rule: i, detail: `created ${days(age)} ago; ${label} deletes only tags older than ${rule.olderThanDays} days` };
      }
      const list = verdicts.get(entry.tag.name) ?? [];
      list.push(verdict);
      verdicts.set(entry.tag.name, list);
    });
  });
  return verdicts;
}

function artifactDetail(kind: TagKind): string {
  switch (kind) {
    case 'referrers-fallback':
      return 'referrers fallback tag (lists signatures, SBOMs… of a manifest); never deleted by rules';
    case 'signature':
      return 'cosign signature tag; never deleted by rules';
    case 'attestation':
      return 'cosign attestation tag; never deleted by rules';
    default:
      return 'cosign SBOM tag; never deleted by rules';
  }
}

/** Plans one repository. `now` is milliseconds since the epoch. */
export function planRepository(compiled: CompiledPolicy, input: RepositoryInput, now: number): TagPlan {
  const { repository } = input;
  const entries: Entry[] = input.tags.map((tag) => ({ tag, createdMs: createdMs(tag.created) }));
  const verdicts = ruleVerdicts(compiled, entries, now);
  const plan: TagPlan = { delete: [], keep: [], untagged: [], attachedTags: [] };

  for (const { tag } of entries) {
    const keep = (reason: KeepReason, detail: string, extra: { rule?: number; protect?: number } = {}): void => {
      plan.keep.push({ repository, tag: tag.name, digest: tag.digest, created: tag.created ?? null, reason, ...extra, detail });
    };
    const kind = tag.kind ?? tagKindOf(tag.name).kind;
    const protect = compiled.protect.findIndex((re) => re.test(tag.name));
    const own = verdicts.get(tag.name) ?? [];
    if (protect >= 0) {
      keep('protected', `matches protection protect[${protect}] (${compiled.policy.protect[protect]})`, { protect });
    } else if (kind !== 'tag') {
      keep('artifact-tag', artifactDetail(kind));
    } else if (!tag.digest || tag.error) {
      keep('unresolved', `could not be read (${tag.error?.message ?? 'no digest'}); never deleted unchecked`);
    } else if (own.length === 0) {
      keep('no-rule', 'matches no rule');
    } else {
      const keeper = own.find((v): v is Extract<Verdict, { keep: true }> => v.keep);
      if (keeper) keep(keeper.reason, keeper.detail, { rule: keeper.rule });
      else {
        plan.delete.push({
          repository,
          tag: tag.name,
          digest: tag.digest,
          created: tag.created ?? null,
          size: tag.size ?? null,
          rules: own.map((v) => v.rule),
        });
      }
    }
  }

  // Manifests whose every tag goes: they stay reachable by digest until GC removes untagged manifests.
  const deleted = new Set(plan.delete.map((d) => d.tag));
  const byDigest = new Map<Digest, PlanTagInput[]>();
  for (const tag of input.tags) {
    if (!tag.digest) continue;
    const list = byDigest.get(tag.digest) ?? [];
    list.push(tag);
    byDigest.set(tag.digest, list);
  }
  for (const [digest, tags] of byDigest) {
    if (!tags.every((t) => deleted.has(t.name))) continue;
    plan.untagged.push({
      repository,
      digest,
      tags: tags.map((t) => t.name).sort(compareBytes),
      size: tags.find((t) => t.size != null)?.size ?? null,
    });
  }
  const untagged = new Set(plan.untagged.map((u) => u.digest));
  for (const tag of input.tags) {
    const subject = tag.subjectDigest ?? tagKindOf(tag.name).subjectDigest;
    const kind = tag.kind ?? tagKindOf(tag.name).kind;
    if (kind === 'tag' || !subject || !untagged.has(subject)) continue;
    const ref: AffectedReferrer = { repository, subject, via: 'tag', tag: tag.name };
    if (tag.digest) ref.digest = tag.digest;
    plan.attachedTags.push(ref);
  }

  plan.delete.sort((a, b) => compareBytes(a.tag, b.tag));
  plan.keep.sort((a, b) => compareBytes(a.tag, b.tag));
  plan.untagged.sort((a, b) => compareBytes(a.digest, b.digest));
  plan.attachedTags.sort((a, b) => compareBytes(a.tag ?? '', b.tag ?? ''));
  return plan;
}

/** Plans several repositories; results in repository order, then tag order. */
export function planTags(compiled: CompiledPolicy, inputs: readonly RepositoryInput[], now: number): TagPlan {
  const plan: TagPlan = { delete: [], keep: [], untagged: [], attachedTags: [] };
  for (const input of [...inputs].sort((a, b) => compareBytes(a.repository, b.repository))) {
    const part = planRepository(compiled, input, now);
    plan.delete.push(...part.delete);
    plan.keep.push(...part.keep);
    plan.untagged.push(...part.untagged);
    plan.attachedTags.push(...part.attachedTags);
  }
  return plan;
}

export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
