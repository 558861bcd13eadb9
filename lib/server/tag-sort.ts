/**
 * Filtering, ordering and paging of tag rows, over the whole repository before a page is cut (a filter or a
 * sort that only sees one page is the most reported bug of registry UIs). The order is the page's and the
 * cleanup planner's (`lib/tags/order.ts`), the filter the page's (`lib/text/query.ts`).
 */
import 'server-only';
import type { TagRow } from '@/lib/api/types';
import { compareTags, sortTags, type SortableTag } from '@/lib/tags/order';
import { tagMatcher, type MatchableTag } from '@/lib/text/query';
import type { Sort } from './validate';

type Row = Pick<TagRow, 'name' | 'created'>;

/** The comparator for an API `sort` (see `lib/tags/order.ts`). */
export function tagComparator(sort: Sort): (a: SortableTag, b: SortableTag) => number {
  return compareTags({ key: sort.key, desc: sort.descending });
}

export interface Page<T> {
  items: T[];
  next: string | null;
  total: number;
}

/**
 * Filters by `q`, sorts, and cuts the page after `last` (a tag name; when that tag is gone, the page starts
 * where it would have been in the order).
 */
export function pageRows<T extends Row & MatchableTag>(rows: readonly T[], options: { q?: string; sort: Sort; last?: string; n: number }): Page<T> {
  const compare = tagComparator(options.sort);
  const matches = tagMatcher(options.q ?? '');
  // Sorted with each creation time parsed once (the comparator alone parses two per comparison).
  const matching = sortTags(rows.filter(matches), { key: options.sort.key, desc: options.sort.descending });
  let start = 0;
  if (options.last !== undefined) {
    const at = matching.findIndex((row) => row.name === options.last);
    if (at >= 0) start = at + 1;
    else {
      const probe = { name: options.last, created: null } as Row;
      const after = matching.findIndex((row) => compare(row, probe) > 0);
      start = after < 0 ? matching.length : after;
    }
  }
  const items = matching.slice(start, start + options.n);
  const more = start + options.n < matching.length;
  return { items, next: more && items.length ? items[items.length - 1]!.name : null, total: matching.length };
}
