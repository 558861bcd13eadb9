/**
 * The delete plan: exactly what deleting a manifest by digest removes, worked out before anything is deleted, so
 * that the user confirms what really happens (the UI dialog, `GET …/-/delete-plan/{digest}`) and the delete does
 * only that (`delete-execute.ts` plans again and refuses when the result differs from what was confirmed).
 *
 * - Tags: every tag of the repository is resolved (a registry deletes every tag on a digest; the tags a page
 *   happened to see are not enough). Tags that point at a deleted manifest go, and so does a `sha256-…` referrers
 *   fallback tag whose index lists only deleted referrers (the backend removes each deleted referrer from its
 *   subject's index and the tag when it empties).
 * - Referrers (`cascade`): a manifest named by a referrers listing (the API or a fallback index, which any client
 *   can write) is read and goes only when its own `subject` is a deleted manifest; the others are reported.
 * - Indexes reached from a tag that list a deleted manifest are named: deleting breaks them.
 * - Fallback and cosign tags about a deleted manifest that stay are named (they then describe nothing).
 */
import 'server-only';
import type { DeletePlan, DeletePlanIndex, DeletePlanLeftTag, DeletePlanManifest, DeletePlanNotReferrer, DeletePlanTag } from '@/lib/api/types';
import { tagKind } from '@/lib/oci/artifact-kind';
import { isRegistryError } from '@/lib/oci/errors';
import { parseManifest, referrersFallbackTag, type ParsedManifest } from '@/lib/oci/manifest';
import { INDEX_MEDIA_TYPES, baseMediaType } from '@/lib/oci/media-types';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { collect, compareByteOrder } from '@/lib/registry/iter';
import { resolveRepositoryTags, tagsPointingAt } from './digest-tags';
import type { Lru } from '@/lib/registry/lru';
import { sharedMemo, type SharedTask } from './shared-task';
import type { Source } from './sources';

export interface DeletePlanOptions {
  /** Plan the removal of the referrers too (`cascade=referrers`). */
  cascade: boolean;
  /** Resolve every tag now, ignoring the tag cache (the re-check right before deleting). */
  fresh?: boolean;
  signal?: AbortSignal;
  onProgress?: (resolved: number, total: number) => void;
}

/** A plan plus the order to delete in (referrers before their subjects, the target last). */
export interface ExecutablePlan {
  plan: DeletePlan;
  order: Digest[];
}

/** Safety bound on the referrer walk (a registry can list anything). */
const MAX_REFERRERS = 10_000;

function tryParse(bytes: Uint8Array, mediaType: string): ParsedManifest | undefined {
  try {
    return parseManifest(bytes, mediaType);
  } catch {
    return undefined;
  }
}

function planned(digest: Digest, descriptor: Descriptor, parsed: ParsedManifest | undefined, tags: string[], subject?: Digest): DeletePlanManifest {
  return {
    digest,
    mediaType: parsed?.mediaType ?? descriptor.mediaType,
    kind: parsed?.kind ?? 'unknown',
    ...(parsed?.artifactType ? { artifactType: parsed.artifactType } : {}),
    role: subject ? 'referrer' : 'target',
    ...(subject ? { subject } : {}),
    tags,
  };
}

/**
 * The digests an index lists (cached by digest in this source's digest cache: content never changes). Safe across
 * repositories: the answer is a function of the index's bytes alone and claims nothing about `repo`; that the
 * index is in `repo` comes from this plan's own tag map (callers pass only digests its tags point at), and the
 * delete re-plans with every tag read again before it removes anything.
 */
function listedBy(source: Source, repo: string, index: Digest): Promise<Digest[]> {
  const cache = source.cache.details as unknown as Lru<string, SharedTask<Digest[]>>;
  return sharedMemo(cache, `plan-index:${index}`, async (signal) => {
    const content = await source.pool.run(() => source.registry.getManifest(repo, index, { signal }), signal);
    const parsed = tryParse(content.bytes, content.descriptor.mediaType);
    const manifests = parsed && 'manifests' in parsed.manifest && Array.isArray(parsed.manifest.manifests) ? parsed.manifest.manifests : [];
    return manifests.map((d) => d.digest);
  });
}

interface Walk {
  referrers: { digest: Digest; descriptor: Descriptor; parsed: ParsedManifest | undefined; subject: Digest }[];
  notReferrers: DeletePlanNotReferrer[];
}

/** Manifests whose own `subject` is the target or one of them, breadth first; listed others are reported. */
async function walkReferrers(source: Source, repo: string, target: Digest, signal: AbortSignal | undefined): Promise<Walk> {
  const walk: Walk = { referrers: [], notReferrers: [] };
  const seen = new Set<Digest>([target]);
  const queue: Digest[] = [target];
  const call = signal ? { signal } : {};
  while (queue.length > 0 && walk.referrers.length < MAX_REFERRERS) {
    const subject = queue.shift()!;
    const listed = await source.pool.run(() => collect(source.registry.listReferrers(repo, subject, call)));
    for (const candidate of listed) {
      if (seen.has(candidate.digest)) continue;
      seen.add(candidate.digest);
      let content;
      try {
        content = await source.pool.run(() => source.registry.getManifest(repo, candidate.digest, call));
      } catch (error) {
        if (!isRegistryError(error, 'MANIFEST_UNKNOWN')) throw error;
        walk.notReferrers.push({ digest: candidate.digest, listedFor: subject, subject: null, reason: 'listed, but the manifest does not exist' });
        continue;
      }
      const parsed = tryParse(content.bytes, content.descriptor.mediaType);
      const real = parsed?.subject?.digest ?? null;
      if (real === subject) {
        walk.referrers.push({ digest: candidate.digest, descriptor: content.descriptor, parsed, subject });
        queue.push(candidate.digest);
      } else {
        const reason = real ? `its subject is ${real}, not ${subject}` : 'it has no subject';
        walk.notReferrers.push({ digest: candidate.digest, listedFor: subject, subject: real, reason });
      }
    }
  }
  return walk;
}

/** Whether the backend removes deleted referrers from their subject's fallback index (and the tag when it empties). */
async function prunesFallbackIndexes(source: Source, repo: string): Promise<boolean> {
  if (source.config.kind === 'layout') return true;
  if (source.config.kind !== 'http') return false;
  const caps = await source.registry.capabilities(repo).catch(() => undefined);
  return caps?.referrersApi !== true;
}

/**
 * Plans deleting `digest` from `repo` (see the file comment). Throws MANIFEST_UNKNOWN (no such manifest),
 * NAME_UNKNOWN, and whatever keeps a tag or a referrer from being read (the plan is complete or not made).
 */
export async function planManifestDelete(source: Source, repo: string, digest: Digest, options: DeletePlanOptions): Promise<ExecutablePlan> {
  const { signal } = options;
  const call = signal ? { signal } : {};
  const root = await source.pool.run(() => source.registry.getManifest(repo, digest, call));
  const rootParsed = tryParse(root.bytes, root.descriptor.mediaType);
  const [tagMap, walk] = await Promise.all([
    resolveRepositoryTags(source, repo, { ...(options.fresh ? { fresh: true } : {}), ...call, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }),
    walkReferrers(source, repo, digest, signal),
  ]);

  const referrers = walk.referrers.map((r) => planned(r.digest, r.descriptor, r.parsed, tagsPointingAt(tagMap, r.digest), r.subject));
  const target = planned(digest, root.descriptor, rootParsed, tagsPointingAt(tagMap, digest));
  const manifests = options.cascade ? [target, ...referrers] : [target];
  const going = new Set(manifests.map((m) => m.digest));

  const tags: DeletePlanTag[] = [];
  for (const m of manifests) {
    for (const name of m.tags) {
      const info = tagKind(name);
      tags.push({ name, kind: info.kind, digest: m.digest, why: 'on-deleted-manifest', ...(info.subjectDigest ? { subjectDigest: info.subjectDigest } : {}) });
    }
  }

  // Each deleted manifest with a subject leaves that subject's fallback index; an index left empty loses its tag.
  const subjectOf = new Map<Digest, Digest>();
  if (rootParsed?.subject) subjectOf.set(digest, rootParsed.subject.digest);
  for (const r of walk.referrers) if (going.has(r.digest)) subjectOf.set(r.digest, r.subject);
  if (subjectOf.size > 0 && (await prunesFallbackIndexes(source, repo))) {
    for (const subject of new Set(subjectOf.values())) {
      const name = referrersFallbackTag(subject);
      const holder = tagMap.get(name);
      if (!holder || going.has(holder.digest) || !INDEX_MEDIA_TYPES.includes(baseMediaType(holder.mediaType))) continue;
      const listed = await listedBy(source, repo, holder.digest);
      if (listed.length > 0 && listed.every((d) => going.has(d) && subjectOf.get(d) === subject)) {
        tags.push({ name, kind: 'referrers-fallback', digest: holder.digest, why: 'emptied-referrers-index', subjectDigest: subject });
      }
    }
  }
  tags.sort((a, b) => compareByteOrder(a.name, b.name));
  const goingTags = new Set(tags.map((t) => t.name));

  const leftTags: DeletePlanLeftTag[] = [];
  for (const [name, descriptor] of tagMap) {
    const info = tagKind(name);
    if (!info.subjectDigest || !going.has(info.subjectDigest) || goingTags.has(name)) continue;
    leftTags.push({ name, kind: info.kind, digest: descriptor.digest, subjectDigest: info.subjectDigest });
  }
  leftTags.sort((a, b) => compareByteOrder(a.name, b.name));

  const referencedBy = await indexesListing(source, repo, tagMap, going);
  const order = [...manifests.slice(1).map((m) => m.digest).reverse(), digest];
  const plan: DeletePlan = {
    repository: repo,
    digest,
    cascade: options.cascade,
    manifests,
    tags,
    referrers,
    referencedBy,
    notReferrers: walk.notReferrers,
    leftTags,
    tagsChecked: tagMap.size,
    checkedAt: new Date().toISOString(),
    expect: { manifests: [...going].sort(compareByteOrder), tags: [...goingTags].sort(compareByteOrder) },
  };
  return { plan, order };
}

/** Tagged indexes (not fallback indexes, not deleted themselves) that list a deleted manifest. */
async function indexesListing(source: Source, repo: string, tagMap: ReadonlyMap<string, Descriptor>, going: ReadonlySet<Digest>): Promise<DeletePlanIndex[]> {
  const byDigest = new Map<Digest, { descriptor: Descriptor; tags: string[] }>();
  for (const [name, descriptor] of tagMap) {
    if (going.has(descriptor.digest) || tagKind(name).kind === 'referrers-fallback') continue;
    if (!INDEX_MEDIA_TYPES.includes(baseMediaType(descriptor.mediaType))) continue;
    const entry = byDigest.get(descriptor.digest) ?? { descriptor, tags: [] };
    entry.tags.push(name);
    byDigest.set(descriptor.digest, entry);
  }
  const found = await Promise.all(
    [...byDigest.values()].map(async ({ descriptor, tags }): Promise<DeletePlanIndex | undefined> => {
      const lists = (await listedBy(source, repo, descriptor.digest)).filter((d) => going.has(d));
      if (lists.length === 0) return undefined;
      return { digest: descriptor.digest, mediaType: baseMediaType(descriptor.mediaType), tags: tags.sort(compareByteOrder), lists: [...new Set(lists)] };
    }),
  );
  return found.filter((i): i is DeletePlanIndex => i !== undefined).sort((a, b) => compareByteOrder(a.tags[0] ?? a.digest, b.tags[0] ?? b.digest));
}
