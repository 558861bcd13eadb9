'use client';

/**
 * The size change per directory as a collapsible tree, children sorted by growth. The root and the path of
 * largest growth start open, so the directory that made the image grow is visible without a click.
 */
import clsx from 'clsx';
import { useState } from 'react';
import type { DirectoryDelta } from '@/lib/compare/files-diff';
import { directoryTree, type DirectoryNode } from '@/lib/compare/directory-tree';
import { formatDelta } from './format';

/** Paths of the nodes open at first: the root and, from it, each largest-growing child while it grows. */
function initiallyOpen(root: DirectoryNode): Set<string> {
  const open = new Set<string>([root.path]);
  let node = root.children[0];
  while (node && node.sizeDelta > 0) {
    open.add(node.path);
    node = node.children[0];
  }
  return open;
}

function Node({ node, depth, open, toggle }: { node: DirectoryNode; depth: number; open: Set<string>; toggle: (path: string) => void }) {
  const expanded = open.has(node.path);
  const counts = [node.added ? `+${node.added}` : '', node.removed ? `−${node.removed}` : '', node.changed ? `~${node.changed}` : ''].filter(Boolean).join(' ');
  return (
    <li role="treeitem" aria-expanded={node.children.length ? expanded : undefined} aria-label={`${node.name || '/'} ${formatDelta(node.sizeDelta)}`}>
      <div className="flex items-center gap-2 py-0.5 text-sm" style={{ paddingLeft: `${depth * 1.1}rem` }} data-testid="dir-row" data-path={node.path}>
        {node.children.length ? (
          <button type="button" className="w-4 text-zinc-500" aria-label={`${expanded ? 'Collapse' : 'Expand'} ${node.name || '/'}`} onClick={() => toggle(node.path)}>
            {expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="w-4" />
        )}
        <span className="min-w-0 flex-1 truncate font-mono text-xs">{node.path === '' ? '/' : `${node.name}/`}</span>
        <span className="text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">{counts}</span>
        <span
          className={clsx('w-24 text-right text-xs whitespace-nowrap tabular-nums', node.sizeDelta > 0 ? 'text-amber-700 dark:text-amber-400' : node.sizeDelta < 0 ? 'text-emerald-700 dark:text-emerald-400' : 'text-zinc-500')}
          data-testid="dir-delta"
        >
          {formatDelta(node.sizeDelta)}
        </span>
      </div>
      {expanded && node.children.length ? (
        <ul role="group">
          {node.children.map((child) => (
            <Node key={child.path} node={child} depth={depth + 1} open={open} toggle={toggle} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function DirectoryTreeView({ directories }: { directories: readonly DirectoryDelta[] }) {
  const root = directoryTree(directories);
  const [open, setOpen] = useState(() => initiallyOpen(root));
  const toggle = (path: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  if (directories.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">No file differs.</p>;
  return (
    <ul role="tree" aria-label="Size change by directory" data-testid="directory-tree" className="rounded-md border border-zinc-200 p-1.5 dark:border-zinc-800">
      <Node node={root} depth={0} open={open} toggle={toggle} />
    </ul>
  );
}
