'use client';

import clsx from 'clsx';
import { PageLink } from '@/components/ui/page-link';
import type { Ref } from 'react';
import { useVirtualList, type VirtualListHandle } from '@/components/ui/use-virtual-list';
import { pages } from '@/lib/routes';
import type { CatalogRow } from './catalog-model';

const ROW_HEIGHT = 36;
const GROUP_HEIGHT = 34;

/** Moves keyboard focus to the first repository. */
export type RepositoryListHandle = VirtualListHandle;

/** The grouped catalog, virtualised against the window so it scales to 10,000 entries. */
export function RepositoryList({ source, rows, ref }: { source: string; rows: CatalogRow[]; ref?: Ref<RepositoryListHandle> }) {
  const { containerRef, scrollMargin, totalSize, items, nav, onKeyDown } = useVirtualList<HTMLDivElement>({
    count: rows.length,
    estimateSize: (i) => (rows[i]?.type === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
    overscan: 12,
    isItem: (i) => rows[i]?.type === 'repo',
    rowId: (i) => `repo-row-${i}`,
    ref,
  });

  return (
    <div
      ref={containerRef}
      data-testid="repository-list"
      onKeyDown={onKeyDown}
      style={{ height: totalSize, position: 'relative' }}
    >
      {items.map((item) => {
        const row = rows[item.index];
        if (!row) return null;
        const style = { height: item.size, transform: `translateY(${item.start - scrollMargin}px)` };
        if (row.type === 'group') {
          return (
            <div
              key={item.key}
              style={style}
              className="absolute top-0 left-0 flex w-full items-end gap-2 border-b border-zinc-200 pb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400"
            >
              <span>{row.namespace || 'No namespace'}</span>
              <span className="font-normal normal-case">{row.count}</span>
            </div>
          );
        }
        return (
          <PageLink
            key={item.key}
            id={`repo-row-${item.index}`}
            href={pages.tags(source, row.repo)}
            data-testid="repository-row"
            data-repo={row.repo}
            onFocus={() => nav.setActive(item.index)}
            style={style}
            className={clsx(
              'absolute top-0 left-0 flex w-full items-center gap-1 rounded-md px-3 font-mono text-sm outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-inset dark:hover:bg-zinc-900',
              nav.active === item.index && 'bg-sky-50 dark:bg-sky-950/40',
            )}
          >
            <span className="truncate">
              {row.namespace ? <span className="text-zinc-500 dark:text-zinc-400">{row.namespace}/</span> : null}
              <span className="font-medium text-zinc-900 dark:text-zinc-100">{row.name}</span>
            </span>
          </PageLink>
        );
      })}
    </div>
  );
}
