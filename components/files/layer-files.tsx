'use client';

/**
 * One layer's own table of contents (what that build step wrote, whiteouts included), as a tree beside the
 * viewer; files are read from this layer alone. Opened from a row of the layers or history table.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ErrorState } from '@/components/ui/error-state';
import { formatBytes } from '@/components/ui/format';
import { OPAQUE_MARKER, WHITEOUT_PREFIX } from '@/lib/layers/filesystem';
import type { LayerToc, TocEntry } from '@/lib/layers/types';
import { apiFetch } from '@/lib/query/client-fetchers';
import { apiUrls } from '@/lib/routes';
import { FilesPane } from './files-pane';
import { buildTree } from './tree-model';

function impliedDir(path: string): TocEntry {
  return { path, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0 };
}

function typeLabel(entry: TocEntry): string {
  const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
  if (name === OPAQUE_MARKER) return 'opaque dir';
  if (name.startsWith(WHITEOUT_PREFIX)) return 'whiteout';
  return entry.type;
}

export function LayerFiles({ source, repo, digest }: { source: string; repo: string; digest: string }) {
  const query = useQuery({
    queryKey: ['porthole', 'layerToc', source, repo, digest],
    queryFn: ({ signal }) => apiFetch<LayerToc>(apiUrls.layerFiles(source, repo, digest), { signal }),
    staleTime: Infinity, // a digest's bytes never change
  });
  const toc = query.data;
  const tree = useMemo(() => (toc ? buildTree(toc.entries, impliedDir) : undefined), [toc]);
  if (query.error) return <ErrorState title="This layer could not be read" error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  if (!toc || !tree) return <p className="text-sm text-zinc-500">Reading the layer…</p>;
  return (
    <div className="flex flex-col gap-2" data-testid="layer-files">
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {toc.codec === 'tar' ? 'tar' : `tar+${toc.codec}`}, {formatBytes(toc.compressedSize)} → {formatBytes(toc.tarSize)} uncompressed, {toc.entries.length.toLocaleString('en')} entries
      </p>
      <FilesPane tree={tree} label="Layer files" scope="layer" fileUrl={(path, download) => apiUrls.layerFiles(source, repo, digest, path, { download })} typeLabel={typeLabel} />
    </div>
  );
}
