import { useRef } from 'react';
import type { TagRow } from '@/lib/api/types';
import { tagsSharingDigest, type DisplayRow } from './tag-model';
import type { TagsUrlChange } from './use-tags-url';

/**
 * Selection changes of the tag table, always applied to the live URL state (so quick clicks in a row never
 * build on a stale selection): toggle with Shift ranges, select all shown, a digest's tags, removals.
 */
export function useTagSelection(rows: readonly DisplayRow[], setUrl: (change: TagsUrlChange) => void) {
  const lastToggled = useRef<number | null>(null);
  const change = (edit: (next: Set<string>) => void) =>
    setUrl((live) => {
      const next = new Set(live.selected);
      edit(next);
      return { selected: next };
    });

  return {
    toggle: (index: number, range: boolean) => {
      const name = rows[index]?.tag.name;
      if (!name) return;
      const anchor = range ? lastToggled.current : null;
      lastToggled.current = index;
      change((next) => {
        const select = !next.has(name);
        const from = anchor === null ? index : Math.min(anchor, index);
        const to = anchor === null ? index : Math.max(anchor, index);
        for (let i = from; i <= to; i++) {
          const rowName = rows[i]?.tag.name;
          if (!rowName) continue;
          if (select) next.add(rowName);
          else next.delete(rowName);
        }
      });
    },
    selectShown: (select: boolean) =>
      change((next) => {
        for (const row of rows) {
          if (select) next.add(row.tag.name);
          else next.delete(row.tag.name);
        }
      }),
    /** Selects every tag on the digest of `tag` (or deselects them when all already are). */
    toggleDigest: (tag: TagRow) =>
      change((next) => {
        const group = tagsSharingDigest(tag);
        const all = group.every((n) => next.has(n));
        for (const n of group) {
          if (all) next.delete(n);
          else next.add(n);
        }
      }),
    remove: (names: readonly string[]) =>
      change((next) => {
        for (const n of names) next.delete(n);
      }),
    clear: () => setUrl({ selected: new Set() }),
  };
}
