'use client';

/**
 * The line diff of one changed file: both versions are read through the image-files API (each at most
 * {@link MAX_TEXT_DIFF_BYTES}; the caller only offers it for files that small) and diffed in the browser.
 */
import { useQuery } from '@tanstack/react-query';
import clsx from 'clsx';
import { useMemo } from 'react';
import { ErrorState } from '@/components/ui/error-state';
import type { CompareSide } from '@/lib/api/types';
import { MAX_EDIT_LENGTH, MAX_TEXT_DIFF_BYTES, textDiff } from '@/lib/compare/text-diff';
import { fromWireErrors, RegistryError } from '@/lib/oci/errors';
import { apiUrls } from '@/lib/routes';
import { formatBytes } from '@/lib/text/bytes';

async function fileBytes(side: CompareSide, path: string, signal: AbortSignal): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(apiUrls.imageFiles(side.source, side.repository, side.manifest, path), { signal });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    throw new RegistryError('UNAVAILABLE', 'Porthole server is not reachable', { cause });
  }
  if (!response.ok) throw fromWireErrors(response.status, await response.json().catch(() => null));
  return new Uint8Array(await response.arrayBuffer());
}

/** Both versions of `path` (a manifest digest's files never change: cached for good). */
function useBothVersions(from: CompareSide, to: CompareSide, path: string) {
  return useQuery({
    queryKey: ['porthole', 'compareFile', from.source, from.repository, from.manifest, to.source, to.repository, to.manifest, path],
    queryFn: async ({ signal }) => {
      const [a, b] = await Promise.all([fileBytes(from, path, signal), fileBytes(to, path, signal)]);
      return textDiff(a, b);
    },
    staleTime: Infinity,
  });
}

export function TextDiffView({ from, to, path }: { from: CompareSide; to: CompareSide; path: string }) {
  const query = useBothVersions(from, to, path);
  const diff = query.data;
  const numbered = useMemo(() => {
    if (diff?.kind !== 'diff') return [];
    return diff.hunks.map((hunk) => {
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      return {
        header: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
        lines: hunk.lines.map((line) => ({
          ...line,
          old: line.kind === 'added' ? '' : String(oldLine++),
          new: line.kind === 'removed' ? '' : String(newLine++),
        })),
      };
    });
  }, [diff]);

  if (query.isPending) return <p className="text-xs text-zinc-500" role="status">Reading both versions…</p>;
  if (query.isError) return <ErrorState title={`Could not read ${path}`} error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  const note = (text: string) => <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="text-diff-note">{text}</p>;
  switch (diff!.kind) {
    case 'identical':
      return note('Same content in both images (only its metadata or the layer holding it differs).');
    case 'binary':
      return note('Binary content: no line diff.');
    case 'too-large':
      return note(`Larger than ${formatBytes(MAX_TEXT_DIFF_BYTES)}: no line diff.`);
    case 'too-different':
      return note(`More than ${MAX_EDIT_LENGTH} changed lines: no line diff.`);
  }
  return (
    <div className="overflow-x-auto rounded border border-zinc-200 dark:border-zinc-800" data-testid="text-diff">
      <table className="w-full font-mono text-xs">
        {numbered.map((hunk) => (
          <tbody key={hunk.header}>
            <tr className="bg-zinc-50 text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <td colSpan={3} className="px-2 py-0.5">{hunk.header}</td>
            </tr>
            {hunk.lines.map((line, i) => (
              <tr
                key={i}
                data-kind={line.kind}
                className={clsx(line.kind === 'added' && 'bg-emerald-50 dark:bg-emerald-950/40', line.kind === 'removed' && 'bg-red-50 dark:bg-red-950/40')}
              >
                <td className="w-10 px-1 text-right text-zinc-400 select-none">{line.old}</td>
                <td className="w-10 px-1 text-right text-zinc-400 select-none">{line.new}</td>
                <td className="px-2 whitespace-pre">
                  <span className="select-none">{line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' '}</span>
                  {line.text}
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
