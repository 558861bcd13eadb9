/**
 * The page's tag list for the tag names and the state of the details stream, memoised per names list: a list one
 * batch after the previous one takes over its sorted orders with that batch merged in (see streamed-tags.ts),
 * so 15 batches of 2,000 rows cost 15 merges, not 15 sorts.
 */
import type { TagRow } from '@/lib/api/types';
import type { TagStreamState } from '@/lib/query/tag-stream';
import { changedSince, streamedTagList, type StreamedListState } from './streamed-tags';
import { carrySortedTags } from './tag-model';

/** The last list built per names list (a names refetch starts afresh). */
const lastByNames = new WeakMap<readonly TagRow[], StreamedListState>();
/** For a stream that started before any names arrived. */
const NO_NAMES: readonly TagRow[] = [];

export function liveTagList(names: readonly TagRow[] | undefined, stream: TagStreamState | undefined): readonly TagRow[] | undefined {
  const key = names ?? NO_NAMES;
  const previous = lastByNames.get(key);
  if (previous && previous.stream === stream) return previous.list;
  const list = streamedTagList(names, stream);
  const next: StreamedListState = { names, stream, list };
  const changed = previous ? changedSince(previous, next) : null;
  if (changed && previous?.list && list) carrySortedTags(previous.list, list, changed);
  lastByNames.set(key, next);
  return list;
}
