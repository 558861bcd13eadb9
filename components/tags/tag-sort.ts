/**
 * The tag sort as the page keeps it in the URL (`sort`). The order itself lives in `lib/tags/order.ts`, shared
 * with the tags API and the cleanup planner. Pure.
 */
import { DEFAULT_SORT, readSort, type TagSort } from '@/lib/tags/order';

export { DEFAULT_SORT, compareTags, type TagSort, type TagSortKey } from '@/lib/tags/order';

/** `name`, `-name`, `version`, `-version`, `created`, `-created`; the default for anything else. */
export function parseSort(value: string | null | undefined): TagSort {
  return (value && readSort(value)) || DEFAULT_SORT;
}

/** The URL value of a sort; undefined for the default so URLs stay short. */
export function formatSort(sort: TagSort): string | undefined {
  if (sort.key === DEFAULT_SORT.key && sort.desc === DEFAULT_SORT.desc) return undefined;
  return `${sort.desc ? '-' : ''}${sort.key}`;
}
