import { SourceInfo } from '@/components/catalog/source-info';
import { CopyButton } from '@/components/ui/copy-button';
import type { SourceSummary } from '@/lib/api/types';

/** The repository name, its pull reference (with copy) and the source line. */
export function RepoHeading({ repo, summary }: { source: string; repo: string; summary?: SourceSummary }) {
  const pull = summary?.host ? `${summary.host}/${repo}` : undefined;
  return (
    <div className="flex flex-col gap-1">
      <h1 className="font-mono text-xl font-semibold break-all">{repo}</h1>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        {summary ? <SourceInfo source={summary} showHost={!pull} repo={repo} /> : null}
        {pull ? (
          <span className="inline-flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-400">
            <code>{pull}</code>
            <CopyButton value={pull} label="Copy the repository reference" />
          </span>
        ) : null}
      </div>
    </div>
  );
}
