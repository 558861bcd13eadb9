/**
 * Ordering helpers for the local backends' list methods: byte order (what Go's `sort.Strings` and ocimem
 * use) and the exclusive `startAfter` cursor, both from lib/registry/iter.
 */
import 'server-only';
import { compareByteOrder } from '@/lib/registry/iter';

export { afterCursor, compareByteOrder as compareBytes } from '@/lib/registry/iter';

/** Sorts a copy in byte order and drops duplicates. */
export function sortUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareByteOrder);
}
