/**
 * From the full tag list to the rows on screen: filter across every tag, sort, and fold the referrers
 * fallback (`sha256-…`) and cosign (`.sig`/`.att`/`.sbom`) tags under the tag of their subject. Pure.
 */
import type { TagRow } from '@/lib/api/types';
import { tagMatcher } from '@/lib/text/query';
import { sortTags } from '@/lib/tags/order';
import { mergeSortedRows } from './streamed-tags';
import type { TagSort } from './tag-sort';

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

/**
 * Sorted lists by tag list and sort. A filter keystroke changes only the query: the rows are then a filter
 * of the list sorted once (filtering keeps the order), not a new sort of 2,000 rows per key.
 */
const sortedLists = new WeakMap<readonly TagRow[], Map<string, readonly TagRow[]>>();

/** `all` in the order of `sort`, computed once per list (the same array instance) and sort. */
export function sortedTags(all: readonly TagRow[], sort: TagSort): readonly TagRow[] {
  let bySort = sortedLists.get(all);
  if (!bySort) sortedLists.set(all, (bySort = new Map()));
  const key = `${sort.desc ? '-' : ''}${sort.key}`;
  let sorted = bySort.get(key);
  if (!sorted) bySort.set(key, (sorted = sortTags(all, sort)));
  return sorted;
}

/**
 * Gives `next` the orders already computed for `previous`, with `changed` (the rows by which `next` differs:
 * replaced by name or added) merged in, so that the next {@link sortedTags} of `next` sorts nothing.
 */
export function carrySortedTags(
  previous: readonly TagRow[],
  next: readonly TagRow[],
  changed: readonly TagRow[],
): void {
  const bySort = sortedLists.get(previous);
  if (!bySort || previous === next) return;
  const carried = new Map<string, readonly TagRow[]>();
  for (const [key, sorted] of bySort) {
    const desc = key.startsWith('-');
    carried.set(key, mergeSortedRows(sorted, changed, { key: (desc ? key.slice(1) : key) as TagSort['key'], desc }));
  }
  sortedLists.set(next, carried);
}

export function arrangeTags(all: readonly TagRow[], { query, sort, showAll }: ArrangeOptions): Arrangement {
  const matches = tagMatcher(query);
  const sorted = sortedTags(all, sort);
  const ordinaryCount = all.reduce((n, t) => (isArtifactTag(t) ? n : n + 1), 0);
  const artifacts = all.filter(isArtifactTag);

  const bySubject = new Map<string, TagRow[]>();
  for (const artifact of artifacts) {
    if (!artifact.subjectDigest) continue;
    const list = bySubject.get(artifact.subjectDigest);
    if (list) list.push(artifact);
    else bySubject.set(artifact.subjectDigest, [artifact]);
  }

  if (!showAll) {
    const rows = sorted
      .filter((tag) => !isArtifactTag(tag) && matches(tag))
      .map((tag): DisplayRow => ({ tag, depth: 0, folded: tag.digest ? (bySubject.get(tag.digest)?.length ?? 0) : 0 }));
    return { rows, total: ordinaryCount, artifactTags: artifacts.length };
  }

  // Already in order: the first shown tag on a digest is its artifacts' parent.
  const shownOrdinary = sorted.filter((tag) => !isArtifactTag(tag) && matches(tag));
  const parentOf = new Map<string, string>(); // subject digest → name of the first shown tag on it
  for (const tag of shownOrdinary) {
    if (tag.digest && !parentOf.has(tag.digest)) parentOf.set(tag.digest, tag.name);
  }
  const children = new Map<string, TagRow[]>();
  const top = new Set<TagRow>(shownOrdinary);
  for (const artifact of artifacts.filter(matches)) {
    const parent = artifact.subjectDigest ? parentOf.get(artifact.subjectDigest) : undefined;
    if (parent === undefined) {
      top.add(artifact);
      continue;
    }
    const list = children.get(parent);
    if (list) list.push(artifact);
    else children.set(parent, [artifact]);
  }
  const rows: DisplayRow[] = [];
  for (const tag of sorted) {
    if (!top.has(tag)) continue;
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
