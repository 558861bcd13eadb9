'use client';

/**
 * The files of an image on its manifest page (`image-files.tsx`). Reading the files indexes every layer, so
 * it starts only when asked ("Show files"); the tree and viewer code loads then too.
 */
import dynamic from 'next/dynamic';
import { useState } from 'react';

const ImageFiles = dynamic(() => import('./image-files').then((m) => m.ImageFiles), { ssr: false, loading: () => <p className="text-sm text-zinc-500">Loading…</p> });

export function FileBrowser({ source, repo, digest }: { source: string; repo: string; digest: string }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="rounded border border-zinc-300 px-3 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800" onClick={() => setOpen(true)}>
        Show files
      </button>
    );
  }
  return <ImageFiles source={source} repo={repo} digest={digest} />;
}
