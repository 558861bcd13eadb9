/**
 * From the full tag list to the rows on screen: filter across every tag, sort, and fold the referrers
 * fallback (`sha256-…`) and cosign (`.sig`/`.att`/`.sbom`) tags under the tag of their subject. Pure.
 */
import type { TagRow } from '@/lib/api/types';
import { tagMatcher } from '@/lib/text/query';
import { compareTags, type TagSort } from './tag-sort';

export interface DisplayRow {
  tag: TagRow;
  /** 1 for an artifact tag shown under its subject. */
  depth: 0 | 1;
  /** Artifact tags about this row's digest that are folded away (only when they are hidden). */
  folded: number;
}

export interface ArrangeOptions {
  query: string;
  sort: TagSort;
  /** Show artifact tags (under their subject) instead of folding them away. */
  showAll: boolean;
}

export interface Arrangement {
  rows: DisplayRow[];
  /** Tags that could be shown with this `showAll` (ordinary tags, plus artifact tags when shown). */
  total: number;
  /** Artifact tags in the repository (fallback and cosign tags). */
  artifactTags: number;
}

function isArtifactTag(tag: TagRow): boolean {
  return tag.kind !== 'tag';
}

export function arrangeTags(all: readonly TagRow[], { query, sort, showAll }: ArrangeOptions): Arrangement {
  const matches = tagMatcher(query);
  const ordinary = all.filter((t) => !isArtifactTag(t));
  const artifacts = all.filter(isArtifactTag);
  const compare = compareTags(sort);

  const bySubject = new Map<string, TagRow[]>();
  for (const artifact of artifacts) {
    if (!artifact.subjectDigest) continue;
    const list = bySubject.get(artifact.subjectDigest);
    if (list) list.push(artifact);
    else bySubject.set(artifact.subjectDigest, [artifact]);
  }

  if (!showAll) {
    const rows = ordinary
      .filter(matches)
      .sort(compare)
      .map((tag): DisplayRow => ({ tag, depth: 0, folded: tag.digest ? (bySubject.get(tag.digest)?.length ?? 0) : 0 }));
    return { rows, total: ordinary.length, artifactTags: artifacts.length };
  }

  const shownOrdinary = ordinary.filter(matches);
  const parentOf = new Map<string, string>(); // subject digest → name of the first shown tag on it
  for (const tag of [...shownOrdinary].sort(compare)) {
    if (tag.digest && !parentOf.has(tag.digest)) parentOf.set(tag.digest, tag.name);
  }
  const children = new Map<string, TagRow[]>();
  const top: TagRow[] = [...shownOrdinary];
  for (const artifact of artifacts.filter(matches)) {
    const parent = artifact.subjectDigest ? parentOf.get(artifact.subjectDigest) : undefined;
    if (parent === undefined) {
      top.push(artifact);
      continue;
    }
    const list = children.get(parent);
    if (list) list.push(artifact);
    else children.set(parent, [artifact]);
  }
  const rows: DisplayRow[] = [];
  for (const tag of top.sort(compare)) {
    rows.push({ tag, depth: 0, folded: 0 });
    const kids = children.get(tag.name);
    // Children stay in name order: `sha256-…`, then `.att`, `.sbom`, `.sig`.
    if (kids) for (const kid of kids.sort((a, b) => (a.name < b.name ? -1 : 1))) rows.push({ tag: kid, depth: 1, folded: 0 });
  }
  return { rows, total: all.length, artifactTags: artifacts.length };
}

/** Every tag on the same digest as `tag` (itself included), from the full list. */
export function tagsSharingDigest(tag: TagRow): string[] {
  return [tag.name, ...tag.sharedWith];
}
