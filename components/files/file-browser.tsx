'use client';

/**
 * The files of an image on its manifest page: one directory at a time (breadcrumbs to go up), filter by name,
 * size, mode and the layer that wrote each path; files open in a new tab (served sandboxed) or download.
 * Reading the files indexes every layer, so it starts only when asked ("Show files").
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState } from '@/components/ui/error-state';
import { formatBytes } from '@/components/ui/format';
import type { ImageFileEntry, ImageListing } from '@/lib/layers/types';
import { apiFetch } from '@/lib/query/client-fetchers';
import { apiUrls } from '@/lib/routes';

/** Rows shown at once; a filter narrows bigger directories. */
const MAX_ROWS = 500;

function name(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function Row({ entry, listing, onOpen, source, repo, digest }: { entry: ImageFileEntry; listing: ImageListing; onOpen: (dir: string) => void; source: string; repo: string; digest: string }) {
  const layer = listing.layers[entry.layer];
  return (
    <tr className="border-t border-zinc-200 dark:border-zinc-800" data-testid="file-row">
      <td className="py-1 pr-2 font-mono break-all">
        {entry.type === 'dir' ? (
          <button type="button" className="text-blue-700 hover:underline dark:text-blue-400" onClick={() => onOpen(entry.path)}>
            {name(entry.path)}/
          </button>
        ) : entry.type === 'file' || entry.type === 'hardlink' ? (
          <a className="text-blue-700 hover:underline dark:text-blue-400" href={apiUrls.imageFiles(source, repo, digest, entry.path)} target="_blank" rel="noreferrer">
            {name(entry.path)}
          </a>
        ) : (
          <span>{name(entry.path)}</span>
        )}
        {entry.linkTarget ? <span className="text-zinc-500 dark:text-zinc-400"> → {entry.linkTarget}</span> : null}
      </td>
      <td className="py-1 pr-2 text-zinc-500 dark:text-zinc-400">{entry.type}</td>
      <td className="py-1 pr-2 font-mono text-zinc-500 dark:text-zinc-400">{entry.mode.toString(8).padStart(4, '0')}</td>
      <td className="py-1 pr-2 text-right whitespace-nowrap tabular-nums">{entry.type === 'file' ? formatBytes(entry.size) : ''}</td>
      <td className="py-1 text-right whitespace-nowrap tabular-nums" title={layer ? `${layer.digest}${entry.overrides?.length ? ` (overrides layer ${entry.overrides.map((o) => o + 1).join(', ')})` : ''}` : undefined}>
        {entry.implicit ? '' : `layer ${entry.layer + 1}`}
        {entry.type === 'file' ? (
          <a className="ml-2 text-blue-700 hover:underline dark:text-blue-400" href={apiUrls.imageFiles(source, repo, digest, entry.path, { download: true })} aria-label={`Download ${name(entry.path)}`}>
            ↓
          </a>
        ) : null}
      </td>
    </tr>
  );
}

export function FileBrowser({ source, repo, digest }: { source: string; repo: string; digest: string }) {
  const [open, setOpen] = useState(false);
  const [dir, setDir] = useState('');
  const [filter, setFilter] = useState('');
  const query = useQuery({
    queryKey: ['porthole', 'imageFiles', source, repo, digest, dir],
    queryFn: ({ signal }) => apiFetch<ImageListing>(apiUrls.imageFiles(source, repo, digest, dir), { signal }),
    enabled: open,
    staleTime: Infinity, // a manifest digest's files never change
  });
  if (!open) {
    return (
      <button type="button" className="rounded border border-zinc-300 px-3 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800" onClick={() => setOpen(true)}>
        Show files
      </button>
    );
  }
  const go = (path: string) => {
    setDir(path);
    setFilter('');
  };
  const parts = dir === '' ? [] : dir.split('/');
  const entries = (query.data?.entries ?? []).filter((e) => name(e.path).toLowerCase().includes(filter.toLowerCase()));
  return (
    <div className="flex flex-col gap-2" data-testid="file-browser">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <nav aria-label="Directory" className="font-mono">
          <button type="button" className="text-blue-700 hover:underline dark:text-blue-400" onClick={() => go('')}>
            /
          </button>
          {parts.map((part, i) => (
            <span key={i}>
              <button type="button" className="text-blue-700 hover:underline dark:text-blue-400" onClick={() => go(parts.slice(0, i + 1).join('/'))}>
                {part}
              </button>
              {i < parts.length - 1 ? '/' : ''}
            </span>
          ))}
        </nav>
        <input
          type="search"
          aria-label="Filter files"
          placeholder="Filter by name"
          className="ml-auto rounded border border-zinc-300 px-2 py-0.5 dark:border-zinc-700 dark:bg-zinc-900"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      </div>
      {query.error ? <ErrorState title="The files could not be read" error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} /> : null}
      {query.isPending ? <p className="text-sm text-zinc-500">Reading the layers…</p> : null}
      {query.data ? (
        <table className="w-full table-fixed text-sm">
          <thead>
            <tr className="text-left text-zinc-500 dark:text-zinc-400">
              <th className="w-auto py-1 font-normal">Name</th>
              <th className="w-20 py-1 font-normal">Type</th>
              <th className="w-16 py-1 font-normal">Mode</th>
              <th className="w-24 py-1 text-right font-normal">Size</th>
              <th className="w-28 py-1 text-right font-normal">Layer</th>
            </tr>
          </thead>
          <tbody>
            {entries.slice(0, MAX_ROWS).map((entry) => (
              <Row key={entry.path} entry={entry} listing={query.data} onOpen={go} source={source} repo={repo} digest={digest} />
            ))}
          </tbody>
        </table>
      ) : null}
      {entries.length > MAX_ROWS ? <p className="text-sm text-zinc-500">{entries.length - MAX_ROWS} more — filter to narrow.</p> : null}
    </div>
  );
}
