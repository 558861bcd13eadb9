'use client';

/**
 * One file of an image or a layer: its facts, a download under its real name (the API's
 * `Content-Disposition`), a raw link (served sandboxed), and its first MiB — text with its encoding and
 * syntax highlighting, or "binary" with the executable type for ELF files (read from the same bytes: no
 * extra request, no server work).
 */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState } from '@/components/ui/error-state';
import { formatBytes } from '@/components/ui/format';
import { describeElf } from '@/lib/layers/elf';
import { PREVIEW_BYTES } from '@/lib/layers/text-content';
import type { TocEntry } from '@/lib/layers/types';
import { HighlightedCode, HIGHLIGHT_LIMIT } from './highlighted-code';
import { languageOf } from './languages';
import { readPreview } from './read-preview';

export interface FileViewerProps {
  entry: TocEntry;
  /** URL of the file's bytes (`download`: as attachment). */
  url: (download: boolean) => string;
  /** More facts (the layer that wrote it…). */
  facts?: ReactNode;
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text.slice(0, 200) : text.slice(0, Math.min(end, 200));
}

export function FileViewer({ entry, url, facts }: FileViewerProps) {
  const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
  const query = useQuery({
    queryKey: ['porthole', 'filePreview', url(false)],
    queryFn: ({ signal }) => readPreview(url(false), signal),
    staleTime: Infinity,
    gcTime: 30_000, // up to 1 MiB each: do not keep many around
  });
  const preview = query.data;
  const content = preview?.content;
  return (
    <div className="flex min-w-0 flex-col gap-2" data-testid="file-viewer" aria-label={`File ${entry.path}`} role="region">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
        <h3 className="font-mono font-medium break-all">/{entry.path}</h3>
        <span className="text-zinc-500 tabular-nums dark:text-zinc-400">{formatBytes(entry.size)}</span>
        <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{entry.mode.toString(8).padStart(4, '0')}</span>
        {facts}
        <span className="ml-auto flex gap-3">
          <a className="text-sky-700 underline dark:text-sky-400" href={url(false)} target="_blank" rel="noreferrer">
            Raw
          </a>
          <a className="text-sky-700 underline dark:text-sky-400" href={url(true)} download aria-label={`Download ${name}`}>
            Download
          </a>
        </span>
      </div>
      {query.error ? <ErrorState title="The file could not be read" error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} /> : null}
      {query.isPending ? <p className="text-sm text-zinc-500">Reading…</p> : null}
      {preview ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="file-kind">
          {preview.elf ? describeElf(preview.elf) : content?.kind === 'binary' ? 'binary data' : `text, ${content?.kind === 'text' ? content.encoding : ''}${content?.kind === 'text' && content.bom ? ' with BOM' : ''}`}
          {preview.truncated && content?.kind === 'text' ? ` — showing the first ${formatBytes(PREVIEW_BYTES)} of ${formatBytes(entry.size)}` : ''}
          {content?.kind === 'text' && content.text.length > HIGHLIGHT_LIMIT ? ' — too long to highlight' : ''}
        </p>
      ) : null}
      {content?.kind === 'text' ? (
        <div className="max-h-[32rem] overflow-auto rounded border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900">
          <HighlightedCode text={content.text} language={languageOf(entry.path, firstLine(content.text))} />
        </div>
      ) : null}
      {content?.kind === 'binary' ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Binary file: download it to look inside.</p> : null}
    </div>
  );
}
