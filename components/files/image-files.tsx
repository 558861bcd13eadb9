'use client';

/**
 * The whole filesystem of an image (layers applied, whiteouts honoured) as a virtualised tree with sizes and
 * the layer each path came from (and which it overrode), beside the file viewer.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ErrorState } from '@/components/ui/error-state';
import type { ImageFileEntry, ImageListing } from '@/lib/layers/types';
import { shortDigest } from '@/lib/oci/digest';
import { apiFetch } from '@/lib/query/client-fetchers';
import { apiUrls } from '@/lib/routes';
import { FilesPane } from './files-pane';
import { buildTree } from './tree-model';

function implicitDir(path: string): ImageFileEntry {
  return { path, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0, layer: 0, implicit: true };
}

function layerNames(layers: readonly number[]): string {
  return layers.map((l) => l + 1).join(', ');
}

export function ImageFiles({ source, repo, digest }: { source: string; repo: string; digest: string }) {
  const query = useQuery({
    queryKey: ['porthole', 'imageTree', source, repo, digest],
    queryFn: ({ signal }) => apiFetch<ImageListing>(apiUrls.imageFiles(source, repo, digest, '', { recursive: true }), { signal }),
    staleTime: Infinity, // a manifest digest's files never change
  });
  const listing = query.data;
  const tree = useMemo(() => (listing ? buildTree(listing.entries, implicitDir) : undefined), [listing]);
  if (query.error) return <ErrorState title="The files could not be read" error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  if (!listing || !tree) return <p className="text-sm text-zinc-500">Reading the layers…</p>;
  const skipped = listing.layers.filter((l) => l.skipped);
  return (
    <div className="flex flex-col gap-2" data-testid="file-browser">
      {skipped.length ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Not read: {skipped.map((l) => `layer ${listing.layers.indexOf(l) + 1} (${l.skipped === 'foreign' ? 'foreign' : 'not a layer'})`).join(', ')}.
        </p>
      ) : null}
      <FilesPane
        tree={tree}
        label="Image files"
        scope="image"
        fileUrl={(path, download) => apiUrls.imageFiles(source, repo, digest, path, { download })}
        rowMeta={(entry) =>
          entry.implicit ? null : (
            <span title={`${listing.layers[entry.layer]?.digest ?? ''}${entry.overrides?.length ? ` (overrides layer ${layerNames(entry.overrides)})` : ''}`} data-testid="row-layer">
              L{entry.layer + 1}
              {entry.overrides?.length ? <span className="text-amber-700 dark:text-amber-400"> ↑{layerNames(entry.overrides)}</span> : null}
            </span>
          )
        }
        facts={(entry) => (
          <span className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="file-layer">
            from layer {entry.layer + 1} ({shortDigest(listing.layers[entry.layer]?.digest ?? '')})
            {entry.overrides?.length ? `, overrides layer ${layerNames(entry.overrides)}` : ''}
          </span>
        )}
      />
    </div>
  );
}
