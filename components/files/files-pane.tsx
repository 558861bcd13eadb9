'use client';

/** A file tree beside the viewer of the file chosen in it: the body of the image and the layer file views. */
import { useState, type ReactNode } from 'react';
import type { TocEntry } from '@/lib/layers/types';
import { FileTreeView } from './file-tree-view';
import { FileViewer } from './file-viewer';
import type { FileTree } from './tree-model';

export interface FilesPaneProps<E extends TocEntry> {
  tree: FileTree<E>;
  label: string;
  scope: 'image' | 'layer';
  /** URL of a file's bytes. */
  fileUrl: (path: string, download: boolean) => string;
  rowMeta?: (entry: E) => ReactNode;
  typeLabel?: (entry: E) => string;
  /** Facts about a file for the viewer's header. */
  facts?: (entry: E) => ReactNode;
}

export function FilesPane<E extends TocEntry>({ tree, label, scope, fileUrl, rowMeta, typeLabel, facts }: FilesPaneProps<E>) {
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const entry = selected === undefined ? undefined : tree.entries[selected];
  return (
    <div className="grid min-w-0 gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <FileTreeView tree={tree} label={label} scope={scope} selected={selected} onOpenFile={setSelected} rowMeta={rowMeta} typeLabel={typeLabel} />
      {entry ? (
        <FileViewer key={entry.path} entry={entry} url={(download) => fileUrl(entry.path, download)} facts={facts?.(entry)} />
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Choose a file to see it here (Enter or click). Symlinks lead to their target.</p>
      )}
    </div>
  );
}
