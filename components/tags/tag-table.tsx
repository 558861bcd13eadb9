'use client';

import { memo, useMemo, type MouseEvent, type Ref } from 'react';
import { useVirtualList, type VirtualListHandle } from '@/components/ui/use-virtual-list';
import type { TagRow } from '@/lib/api/types';
import { computeTracks } from './manifest-tracks';
import type { DisplayRow } from './tag-model';
import type { TagSort } from './tag-sort';
import { sameTableContent } from './tag-table-equality';
import { TagTableHeader } from './tag-table-header';
import { TagTableRow } from './tag-table-row';
import { LANE_WIDTH } from './track-cell';

const ROW_HEIGHT = 44;

export type TagTableHandle = VirtualListHandle;

export interface TagTableProps {
  source: string;
  repo: string;
  rows: DisplayRow[];
  selected: ReadonlySet<string>;
  detailsLoading: boolean;
  canDelete: boolean;
  sort: TagSort;
  onSort: (sort: TagSort) => void;
  onToggle: (index: number, range: boolean) => void;
  onSelectAll: (select: boolean) => void;
  onSelectDigest: (tag: TagRow) => void;
  onShowFolded: () => void;
  onDeleteTag: (tag: TagRow) => void;
  onDeleteManifest: (tag: TagRow) => void;
  /** Enter on a row: open its manifest page. */
  onOpen: (tag: TagRow) => void;
  ref?: Ref<TagTableHandle>;
}

// No router hook here: the router context changes with every URL update (the filter reaching the URL), and a
// context read re-renders a memoised component whatever its props; the view passes `onOpen` instead.
function TagTableView({ ref, source, repo, rows, selected, ...props }: TagTableProps) {
  const tracks = useMemo(() => computeTracks(rows.map((r) => ({ digest: r.tag.digest, shared: r.tag.sharedWith.length }))), [rows]);
  const columns = `1.25rem ${Math.max(tracks.lanes * LANE_WIDTH, 4)}px minmax(12rem,2fr) 9rem minmax(9rem,1.6fr) 5rem 7.5rem ${props.canDelete ? '4.25rem' : '0'}`;

  const { containerRef, scrollMargin, totalSize, items, nav, onKeyDown } = useVirtualList<HTMLDivElement>({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    rowId: (i) => `tag-row-${i}`,
    ref,
    onOpen: (i) => {
      const tag = rows[i]?.tag;
      if (tag) props.onOpen(tag);
    },
    onKey: (event, i) => {
      if (event.key !== ' ' || (event.target as HTMLElement).tagName !== 'DIV') return false;
      event.preventDefault();
      props.onToggle(i, event.shiftKey);
      return true;
    },
  });

  const shownSelected = rows.filter((r) => selected.has(r.tag.name)).length;
  return (
    <div role="table" aria-label="Tags" aria-rowcount={rows.length + 1} data-testid="tag-table">
      <TagTableHeader
        style={{ gridTemplateColumns: columns }}
        allSelected={rows.length > 0 && shownSelected === rows.length}
        someSelected={shownSelected > 0}
        onSelectAll={props.onSelectAll}
        sort={props.sort}
        onSort={props.onSort}
      />
      <div
        ref={containerRef}
        role="rowgroup"
        onKeyDown={onKeyDown}
        style={{ height: totalSize, position: 'relative' }}
      >
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <TagTableRow
              key={row.tag.name}
              id={`tag-row-${item.index}`}
              source={source}
              repo={repo}
              row={row}
              track={tracks.rows[item.index]}
              lanes={tracks.lanes}
              selected={selected.has(row.tag.name)}
              active={nav.active === item.index}
              detailsLoading={props.detailsLoading}
              canDelete={props.canDelete}
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start - scrollMargin}px)`, gridTemplateColumns: columns }}
              onFocus={() => nav.setActive(item.index)}
              onToggle={(event: MouseEvent) => props.onToggle(item.index, event.shiftKey)}
              onSelectDigest={() => props.onSelectDigest(row.tag)}
              onShowFolded={props.onShowFolded}
              onDeleteTag={() => props.onDeleteTag(row.tag)}
              onDeleteManifest={() => props.onDeleteManifest(row.tag)}
            />
          );
        })}
      </div>
    </div>
  );
}

/**
 * The tag table, virtualised against the window (10,000 rows stay smooth); keyboard: arrows, Enter, Space.
 * Re-renders only when what it shows changes (see {@link sameTableContent}).
 */
export const TagTable = memo(TagTableView, sameTableContent);
