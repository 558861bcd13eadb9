'use client';

/**
 * A virtualised tree of files (an image's or a layer's): only the rows in view are in the DOM, so 100,000
 * entries scroll and filter as fast as 100. Keyboard as in the WAI-ARIA tree pattern (`tree-keys.ts`), a
 * filter by name (or by path when it has a `/`), sizes (directories: the total below them), and symlinks
 * shown with their target and followed inside the tree on Enter or click.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import clsx from 'clsx';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { formatBytes } from '@/components/ui/format';
import type { TocEntry } from '@/lib/layers/types';
import { treeKey } from './tree-keys';
import { ancestorsOf, followLink, visibleRows, type FileTree } from './tree-model';

const ROW_HEIGHT = 28;

export interface FileTreeViewProps<E extends TocEntry> {
  tree: FileTree<E>;
  /** Accessible name of the tree. */
  label: string;
  /** What the tree shows (for messages: "not in this image"). */
  scope: 'image' | 'layer';
  /** The node shown in the viewer. */
  selected?: number;
  /** A file (or hard link) was activated. */
  onOpenFile: (node: number) => void;
  /** Extra cell at the end of a row (e.g. the layer that wrote it). */
  rowMeta?: (entry: E, node: number) => ReactNode;
  /** What to call a type in the type column (e.g. whiteouts in a layer). */
  typeLabel?: (entry: E) => string;
}

export function FileTreeView<E extends TocEntry>({ tree, label, scope, selected, onOpenFile, rowMeta, typeLabel }: FileTreeViewProps<E>) {
  const id = useId();
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set());
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const [focus, setFocus] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const lowerNames = useMemo(() => tree.names.map((name) => name.toLowerCase()), [tree]);
  const { rows, matches, filtered } = useMemo(() => visibleRows(tree, open, deferredFilter, lowerNames), [tree, open, deferredFilter, lowerNames]);
  const focusRow = Math.min(focus, Math.max(rows.length - 1, 0));

  // The React Compiler is not enabled here; the virtualizer re-renders this component itself on scroll.
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is the dependency chosen for this
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  // A node to scroll to once the rows it is in are rendered (after following a link: the filter is cleared
  // and its directories opened, which the deferred rows show a render later).
  const pendingScroll = useRef<number | null>(null);
  useEffect(() => {
    if (pendingScroll.current === null) return;
    const row = rows.indexOf(pendingScroll.current);
    if (row < 0) return;
    pendingScroll.current = null;
    virtualizer.scrollToIndex(row, { align: 'center' });
  }, [rows, virtualizer]);

  const toggle = (node: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(node)) next.delete(node);
      else next.add(node);
      return next;
    });

  const activate = (node: number) => {
    const entry = tree.entries[node]!;
    setNotice(null);
    if (entry.type === 'dir') {
      if (!filtered) toggle(node);
    } else if (entry.type === 'symlink') {
      const result = followLink(tree, node);
      if ('node' in result) {
        const target = result.node;
        const nextOpen = new Set([...open, ...ancestorsOf(tree, target)]);
        setFilter('');
        setOpen(nextOpen);
        setFocus(Math.max(0, visibleRows(tree, nextOpen, '', lowerNames).rows.indexOf(target)));
        pendingScroll.current = target;
        setNotice(`/${entry.path} → /${tree.entries[target]!.path}`);
        if (tree.entries[target]!.type !== 'dir') onOpenFile(target);
      } else {
        setNotice('loop' in result ? `/${entry.path}: too many levels of symbolic links` : `/${entry.path} → ${result.missing}: not in this ${scope}`);
      }
    } else if (entry.type === 'file' || entry.type === 'hardlink') {
      onOpenFile(node);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const result = treeKey(tree, rows, focusRow, event.key, filtered ? undefined : (node) => open.has(node), Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 280) / ROW_HEIGHT) - 1));
    if (!result) return;
    event.preventDefault();
    if (result.toggle !== undefined) toggle(result.toggle);
    if (result.focus !== undefined) {
      setFocus(result.focus);
      virtualizer.scrollToIndex(result.focus, { align: 'auto' });
    }
    if (result.activate) activate(rows[focusRow]!);
  };

  const rowId = (node: number) => `${id}-n${node}`;
  const focusedNode = rows.length > 0 ? rows[focusRow] : undefined;
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <input
          type="search"
          aria-label="Filter files"
          placeholder="Filter by name (or path with /)"
          className="min-w-0 flex-1 rounded border border-zinc-300 px-2 py-0.5 dark:border-zinc-700 dark:bg-zinc-900"
          value={filter}
          onChange={(event) => {
            setFilter(event.target.value);
            setFocus(0);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' && rows.length > 0) {
              event.preventDefault();
              scrollRef.current?.focus();
            }
          }}
        />
        <span role="status" className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400" data-testid="tree-status">
          {filtered ? `${matches.toLocaleString('en')} match${matches === 1 ? '' : 'es'}` : `${tree.entries.length.toLocaleString('en')} entries`}
        </span>
      </div>
      {notice ? (
        <p className="font-mono text-xs break-all text-zinc-600 dark:text-zinc-400" data-testid="tree-notice">
          {notice}
        </p>
      ) : null}
      <div
        ref={scrollRef}
        role="tree"
        aria-label={label}
        tabIndex={0}
        aria-activedescendant={focusedNode !== undefined ? rowId(focusedNode) : undefined}
        onKeyDown={onKeyDown}
        className="h-[28rem] overflow-auto rounded border border-zinc-200 text-sm dark:border-zinc-800"
        data-testid="file-tree"
        data-filter={deferredFilter}
      >
        <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const node = rows[item.index]!;
            const entry = tree.entries[node]!;
            const isDir = entry.type === 'dir';
            const isOpen = isDir && (filtered || open.has(node));
            const hasChildren = !!tree.children[node]?.length;
            return (
              <div
                key={node}
                id={rowId(node)}
                role="treeitem"
                aria-level={tree.depth[node]! + 1}
                aria-expanded={isDir ? isOpen : undefined}
                aria-selected={node === selected}
                data-path={entry.path}
                data-focused={item.index === focusRow || undefined}
                onClick={() => {
                  setFocus(item.index);
                  activate(node);
                }}
                className={clsx(
                  'absolute left-0 flex w-full cursor-default items-center gap-2 pr-2 whitespace-nowrap',
                  item.index === focusRow && 'bg-sky-50 ring-1 ring-sky-400 ring-inset dark:bg-sky-950/50',
                  node === selected && 'font-semibold',
                )}
                style={{ top: item.start, height: ROW_HEIGHT, paddingLeft: 8 + tree.depth[node]! * 16 }}
              >
                <span aria-hidden className="w-3 shrink-0 text-zinc-400">
                  {isDir && hasChildren ? (isOpen ? '▾' : '▸') : ''}
                </span>
                <span className={clsx('min-w-0 truncate font-mono', isDir && 'text-sky-800 dark:text-sky-300')} title={entry.path}>
                  {tree.names[node]}
                  {isDir ? '/' : ''}
                  {entry.linkTarget ? (
                    <span className="text-zinc-500 dark:text-zinc-400">
                      {entry.type === 'symlink' ? ' → ' : ' ⇒ '}
                      {entry.linkTarget}
                    </span>
                  ) : null}
                </span>
                <span className="ml-auto shrink-0 text-xs text-zinc-500 dark:text-zinc-400">{typeLabel ? typeLabel(entry) : entry.type}</span>
                <span className={clsx('w-20 shrink-0 text-right text-xs tabular-nums', isDir ? 'text-zinc-400 dark:text-zinc-500' : 'text-zinc-700 dark:text-zinc-300')}>
                  {entry.type === 'file' || isDir ? formatBytes(tree.total[node]!) : ''}
                </span>
                {rowMeta ? <span className="w-24 shrink-0 text-right text-xs text-zinc-500 dark:text-zinc-400">{rowMeta(entry, node)}</span> : null}
              </div>
            );
          })}
        </div>
        {rows.length === 0 ? <p className="p-3 text-sm text-zinc-500">{filtered ? 'Nothing matches the filter.' : 'No files.'}</p> : null}
      </div>
    </div>
  );
}
