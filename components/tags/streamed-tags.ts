/**
 * The tag list of the page while details stream in (lib/query/tag-stream.ts): every tag name at once (rows
 * without details until their details arrive), each streamed row in place of its name, and once the stream has
 * ended exactly the streamed rows. Each batch changes a few rows of 2,000: the sorted order of the previous list
 * is carried over by a merge (O(n)) instead of a new sort. Pure.
 */
import type { TagRow } from '@/lib/api/types';
import type { TagStreamState } from '@/lib/query/tag-stream';
import { compareTags, sortTags, type TagSort } from '@/lib/tags/order';

/**
 * `sorted` (in the order of `sort`) with every row of `changed` in place of the row of the same name, or added,
 * still in that order: the changed rows are sorted apart and merged in.
 */
export function mergeSortedRows(sorted: readonly TagRow[], changed: readonly TagRow[], sort: TagSort): TagRow[] {
  if (!changed.length) return [...sorted];
  const names = new Set(changed.map((row) => row.name));
  const kept = sorted.filter((row) => !names.has(row.name));
  const incoming = sortTags(changed, sort);
  const compare = compareTags(sort);
  const merged: TagRow[] = [];
  let i = 0;
  let j = 0;
  while (i < kept.length && j < incoming.length) merged.push(compare(kept[i]!, incoming[j]!) <= 0 ? kept[i++]! : incoming[j++]!);
  while (i < kept.length) merged.push(kept[i++]!);
  while (j < incoming.length) merged.push(incoming[j++]!);
  return merged;
}

/** The rows to show: names first, streamed rows in their place; after the end, the streamed rows only. */
export function streamedTagList(names: readonly TagRow[] | undefined, stream: TagStreamState | undefined): readonly TagRow[] | undefined {
  if (!stream || stream.batch === 0) return names;
  if (stream.end) return [...stream.rows.values()];
  const base = names ?? [];
  const list = base.map((row) => stream.rows.get(row.name) ?? row);
  if (stream.rows.size) {
    const listed = new Set(base.map((row) => row.name));
    for (const row of stream.rows.values()) if (!listed.has(row.name)) list.push(row);
  }
  return list;
}

/** What the page showed before the latest batch. */
export interface StreamedListState {
  names: readonly TagRow[] | undefined;
  stream: TagStreamState | undefined;
  list: readonly TagRow[] | undefined;
}

/**
 * The rows by which the new list differs from the previous one when that is just the latest batch (same names,
 * exactly one batch later, still streaming: each changed row replaces its name or is added); null otherwise
 * (the orders are then computed anew).
 */
export function changedSince(previous: StreamedListState, next: StreamedListState): readonly TagRow[] | null {
  if (!previous.list || !next.list || !previous.stream || !next.stream || previous.names !== next.names) return null;
  if (next.stream.end || previous.stream.end || next.stream.batch !== previous.stream.batch + 1) return null;
  return next.stream.changed;
}
