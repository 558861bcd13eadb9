'use client';

/**
 * The file-level difference of a compare: added, removed and changed paths with what changed, filterable by
 * kind and by path. A changed file small enough opens its line diff in place.
 */
import clsx from 'clsx';
import { Fragment, useState } from 'react';
import type { CompareResponse, CompareSide } from '@/lib/api/types';
import type { ChangeKind, FileChange } from '@/lib/compare/files-diff';
import { MAX_TEXT_DIFF_BYTES } from '@/lib/compare/text-diff';
import { apiUrls } from '@/lib/routes';
import { formatBytes } from '@/lib/text/bytes';
import { formatDelta } from './format';
import { TextDiffView } from './text-diff-view';

/** Rows shown at once; the filter narrows the rest. */
const MAX_ROWS = 500;
const MARK: Record<ChangeKind, string> = { added: '+', removed: '−', changed: '~' };

function canDiff(change: FileChange): boolean {
  return change.change === 'changed' && change.from?.type === 'file' && change.to?.type === 'file' && change.from.size <= MAX_TEXT_DIFF_BYTES && change.to.size <= MAX_TEXT_DIFF_BYTES;
}

function what(change: FileChange): string {
  if (change.change !== 'changed') return change.type === 'symlink' ? `symlink → ${(change.to ?? change.from)?.linkTarget ?? ''}` : change.type;
  const a = change.from!;
  const b = change.to!;
  return (change.fields ?? [])
    .map((field) => {
      if (field === 'size') return `size ${formatBytes(a.size)} → ${formatBytes(b.size)}`;
      if (field === 'mode') return `mode ${a.mode.toString(8).padStart(4, '0')} → ${b.mode.toString(8).padStart(4, '0')}`;
      if (field === 'type') return `${a.type} → ${b.type}`;
      if (field === 'linkTarget') return `target ${a.linkTarget ?? '—'} → ${b.linkTarget ?? '—'}`;
      if (field === 'layer') return 'other layer';
      if (field === 'content') return `content ${a.digest?.slice(7, 19) ?? ''} → ${b.digest?.slice(7, 19) ?? ''}`;
      return field;
    })
    .join(', ');
}

function PathCell({ change, side }: { change: FileChange; side: CompareSide }) {
  const isFile = change.type === 'file';
  const text = `${change.path}${change.type === 'dir' ? '/' : ''}`;
  return (
    <td className="py-1 pr-2 font-mono text-xs break-all">
      {isFile ? (
        <a className="text-blue-700 hover:underline dark:text-blue-400" href={apiUrls.imageFiles(side.source, side.repository, side.manifest, change.path)} target="_blank" rel="noreferrer">
          {text}
        </a>
      ) : (
        text
      )}
    </td>
  );
}

export function FileChanges({ files, from, to }: { files: CompareResponse['files']; from: CompareSide; to: CompareSide }) {
  const [kinds, setKinds] = useState<Set<ChangeKind>>(() => new Set(['added', 'removed', 'changed']));
  const [filter, setFilter] = useState('');
  const [opened, setOpened] = useState<Set<string>>(() => new Set());
  const shown = files.changes.filter((c) => kinds.has(c.change) && c.path.toLowerCase().includes(filter.toLowerCase()));
  const toggleKind = (kind: ChangeKind) =>
    setKinds((current) => {
      const next = new Set(current);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });
  const toggleDiff = (path: string) =>
    setOpened((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  return (
    <div className="flex flex-col gap-2" data-testid="file-changes">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {(['added', 'removed', 'changed'] as const).map((kind) => (
          <label key={kind} className="flex items-center gap-1">
            <input type="checkbox" checked={kinds.has(kind)} onChange={() => toggleKind(kind)} />
            {kind} ({files.totals[kind]})
          </label>
        ))}
        <input
          type="search"
          aria-label="Filter changed paths"
          placeholder="Filter by path"
          className="rounded border border-zinc-300 bg-transparent px-2 py-1 text-sm dark:border-zinc-700"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      </div>
      {files.truncated ? <p className="text-xs text-amber-700 dark:text-amber-400">Only the first {files.changes.length.toLocaleString('en')} changed paths are listed; the totals and directory sizes count all.</p> : null}
      <table className="w-full text-sm">
        <tbody>
          {shown.slice(0, MAX_ROWS).map((change) => (
            <Fragment key={change.path}>
              <tr className="border-t border-zinc-200 dark:border-zinc-800" data-testid="file-change" data-change={change.change}>
                <td className={clsx('w-5 py-1 font-mono', change.change === 'added' ? 'text-emerald-700 dark:text-emerald-400' : change.change === 'removed' ? 'text-red-700 dark:text-red-400' : 'text-amber-700 dark:text-amber-400')} aria-label={change.change}>
                  {MARK[change.change]}
                </td>
                <PathCell change={change} side={change.change === 'removed' ? from : to} />
                <td className="py-1 pr-2 text-xs text-zinc-500 dark:text-zinc-400">{what(change)}</td>
                <td className="py-1 pr-2 text-right text-xs whitespace-nowrap tabular-nums">{change.sizeDelta ? formatDelta(change.sizeDelta) : ''}</td>
                <td className="py-1 text-right">
                  {canDiff(change) ? (
                    <button type="button" className="text-xs text-blue-700 hover:underline dark:text-blue-400" aria-expanded={opened.has(change.path)} aria-label={`Diff ${change.path}`} onClick={() => toggleDiff(change.path)}>
                      {opened.has(change.path) ? 'Hide diff' : 'Diff'}
                    </button>
                  ) : null}
                </td>
              </tr>
              {opened.has(change.path) ? (
                <tr>
                  <td colSpan={5} className="pb-2">
                    <TextDiffView from={from} to={to} path={change.path} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
      {shown.length > MAX_ROWS ? <p className="text-xs text-zinc-500">{(shown.length - MAX_ROWS).toLocaleString('en')} more: narrow with the filter.</p> : null}
      {shown.length === 0 ? <p className="text-sm text-zinc-500 dark:text-zinc-400">No changed path matches.</p> : null}
    </div>
  );
}
