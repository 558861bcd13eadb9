'use client';

/**
 * The "Files" button of a layer in the layers and history tables, and the table row below it that shows
 * the layer's own files once open. Only layer tarballs Porthole can read get the button (not foreign ones).
 */
import dynamic from 'next/dynamic';
import { layerKind } from '@/lib/layers/media';

// The tree and viewer load when a layer is first opened.
const LayerFiles = dynamic(() => import('./layer-files').then((m) => m.LayerFiles), { ssr: false, loading: () => <p className="text-sm text-zinc-500">Loading…</p> });

/** Whether a blob of this media type has files Porthole can list. */
export function hasLayerFiles(mediaType: string): boolean {
  const kind = layerKind(mediaType);
  return !!kind && !kind.foreign;
}

export function LayerFilesButton({ open, onToggle, controls, label }: { open: boolean; onToggle: () => void; controls: string; label: string }) {
  return (
    <button type="button" aria-expanded={open} aria-controls={controls} aria-label={label} onClick={onToggle} className="text-xs text-sky-700 underline dark:text-sky-400">
      {open ? 'Hide files' : 'Files'}
    </button>
  );
}

export function LayerFilesRow({ id, colSpan, source, repo, digest }: { id: string; colSpan: number; source: string; repo: string; digest: string }) {
  return (
    <tr id={id} className="border-t border-zinc-100 dark:border-zinc-900">
      <td colSpan={colSpan} className="py-2">
        <LayerFiles source={source} repo={repo} digest={digest} />
      </td>
    </tr>
  );
}
