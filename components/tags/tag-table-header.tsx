'use client';

import clsx from 'clsx';
import { useEffect, useRef, type CSSProperties } from 'react';
import type { TagSort, TagSortKey } from './tag-sort';

export interface TagTableHeaderProps {
  style: CSSProperties;
  allSelected: boolean;
  someSelected: boolean;
  onSelectAll: (select: boolean) => void;
  sort: TagSort;
  onSort: (sort: TagSort) => void;
}

function SortHeader({ label, sortKey, sort, onSort, newestFirst }: { label: string; sortKey: TagSortKey; sort: TagSort; onSort: (s: TagSort) => void; newestFirst?: boolean }) {
  const active = sort.key === sortKey;
  const ariaSort = active ? (sort.desc ? 'descending' : 'ascending') : 'none';
  return (
    <div role="columnheader" aria-sort={ariaSort}>
      <button
        type="button"
        onClick={() => onSort({ key: sortKey, desc: active ? !sort.desc : Boolean(newestFirst) })}
        className={clsx('inline-flex items-center gap-1 rounded hover:text-zinc-900 dark:hover:text-zinc-100', active && 'text-zinc-900 dark:text-zinc-100')}
      >
        {label}
        <span aria-hidden="true" className="text-[0.65rem]">{active ? (sort.desc ? '▼' : '▲') : ''}</span>
      </button>
    </div>
  );
}

/** Column headers of the tag table: select-all, sortable Tag and Created, and labels. */
export function TagTableHeader({ style, allSelected, someSelected, onSelectAll, sort, onSort }: TagTableHeaderProps) {
  const checkbox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (checkbox.current) checkbox.current.indeterminate = someSelected && !allSelected;
  }, [someSelected, allSelected]);
  return (
    <div
      role="row"
      style={style}
      className="sticky top-12 z-10 grid h-9 items-center gap-x-3 border-b border-zinc-200 bg-white/95 px-2 text-xs font-medium text-zinc-500 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95 dark:text-zinc-400"
    >
      <div role="columnheader" className="flex items-center">
        <input
          ref={checkbox}
          type="checkbox"
          checked={allSelected}
          onChange={(event) => onSelectAll(event.target.checked)}
          aria-label="Select all shown tags"
          className="h-4 w-4 accent-sky-700"
        />
      </div>
      <div role="columnheader" aria-label="Shared manifests" />
      <SortHeader label="Tag" sortKey="name" sort={sort} onSort={onSort} />
      <div role="columnheader">Digest</div>
      <div role="columnheader">Platforms</div>
      <div role="columnheader" className="text-right">Size</div>
      <SortHeader label="Created" sortKey="created" sort={sort} onSort={onSort} newestFirst />
      <div role="columnheader" className="sr-only">Actions</div>
    </div>
  );
}
