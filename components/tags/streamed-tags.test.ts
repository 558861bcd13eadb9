import { describe, expect, it } from 'vitest';
import type { TagRow, TagStreamEvent } from '@/lib/api/types';
import { EMPTY_TAG_STREAM, foldTagEvents, type TagStreamState } from '@/lib/query/tag-stream';
import { sortTags, type TagSort } from '@/lib/tags/order';
import { liveTagList } from './live-tag-list';
import { mergeSortedRows, streamedTagList } from './streamed-tags';
import { sortedTags } from './tag-model';

function row(name: string, extra: Partial<TagRow> = {}): TagRow {
  return { name, kind: 'tag', digest: null, mediaType: null, manifestKind: null, size: null, created: null, platforms: [], sharedWith: [], ...extra };
}

/** A deterministic shuffle (so a failure can be replayed). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const SORTS: TagSort[] = [
  { key: 'created', desc: true },
  { key: 'created', desc: false },
  { key: 'version', desc: true },
  { key: 'name', desc: false },
];

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();
const NAMES = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? `build-${i}` : `1.${i % 13}.${i}`));
const bare = NAMES.map((name) => row(name));
// Some dates repeat (ties by name), some are missing (placed last either way).
const detailed = NAMES.map((name, i) => row(name, { created: i % 11 === 0 ? null : day(i % 40), digest: `sha256:${String(i).padStart(64, '0')}` }));

describe('mergeSortedRows', () => {
  it('equals a full sort after replacing and adding rows, for every sort', () => {
    for (const sort of SORTS) {
      let sorted = sortTags(bare, sort);
      const current = new Map(bare.map((r) => [r.name, r]));
      for (const [b, batch] of chunks(shuffled(detailed, 7), 37).entries()) {
        const extra = b === 2 ? [row('added-late', { created: day(3) })] : [];
        sorted = mergeSortedRows(sorted, [...batch, ...extra], sort);
        for (const r of [...batch, ...extra]) current.set(r.name, r);
        expect(sorted.map((r) => r.name)).toEqual(sortTags([...current.values()], sort).map((r) => r.name));
      }
    }
  });
});

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

describe('the live tag list', () => {
  it('shows every name at once, each streamed row in its place, and after the end the streamed rows only', () => {
    const names = [row('a'), row('b'), row('gone')];
    let state: TagStreamState = foldTagEvents(EMPTY_TAG_STREAM, [{ type: 'start', tags: 2 }, { type: 'row', row: row('b', { created: day(1) }) }]);
    expect(streamedTagList(names, undefined)).toBe(names);
    expect(streamedTagList(names, state)!.map((r) => [r.name, r.created])).toEqual([['a', null], ['b', day(1)], ['gone', null]]);
    state = foldTagEvents(state, [{ type: 'row', row: row('a', { created: day(2) }) }, { type: 'end', total: 2, errors: 0 }]);
    expect(streamedTagList(names, state)!.map((r) => r.name).sort()).toEqual(['a', 'b']);
  });

  it('stays sorted batch after batch by merging, and equals a fresh sort of the same rows', () => {
    const sort: TagSort = { key: 'created', desc: true };
    let state = foldTagEvents(EMPTY_TAG_STREAM, [{ type: 'start', tags: NAMES.length }]);
    let list = liveTagList(bare, state)!;
    sortedTags(list, sort); // the page sorts what it shows
    for (const batch of chunks(shuffled(detailed, 3), 41)) {
      state = foldTagEvents(state, batch.map((r): TagStreamEvent => ({ type: 'row', row: r })));
      const next = liveTagList(bare, state)!;
      expect(next).not.toBe(list);
      // The order carried over from the previous list by a merge equals a full sort of the new list.
      const carried = sortedTags(next, sort);
      expect(carried.map((r) => r.name)).toEqual(sortTags(next, sort).map((r) => r.name));
      list = next;
    }
    expect(liveTagList(bare, state)).toBe(list); // the same state: the same list
  });

  it('sorts afresh when a batch was skipped (two batches folded between renders)', () => {
    const sort: TagSort = { key: 'created', desc: false };
    let state = foldTagEvents(EMPTY_TAG_STREAM, [{ type: 'start', tags: NAMES.length }]);
    sortedTags(liveTagList(bare, state)!, sort);
    const [one, two] = chunks(detailed, 150);
    state = foldTagEvents(state, one!.map((r): TagStreamEvent => ({ type: 'row', row: r })));
    state = foldTagEvents(state, two!.map((r): TagStreamEvent => ({ type: 'row', row: r })));
    const next = liveTagList(bare, state)!;
    expect(sortedTags(next, sort).map((r) => r.name)).toEqual(sortTags(detailed, sort).map((r) => r.name));
  });
});
