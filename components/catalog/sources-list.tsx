import { PageLink } from '@/components/ui/page-link';
import { ArrowFocusList } from '@/components/ui/arrow-focus-list';
import type { SourceSummary } from '@/lib/api/types';
import { pages } from '@/lib/routes';
import { SourceInfo } from './source-info';
import { SourceStatusBadge } from './source-status-badge';

/** The configured sources, each linking to its catalog, with its live status. */
export function SourcesList({ sources }: { sources: readonly SourceSummary[] }) {
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">Sources</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {sources.length} registries and layouts. Pick one to browse its repositories.
        </p>
      </div>
      <ArrowFocusList className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {sources.map((source) => (
          <PageLink
            key={source.name}
            href={pages.catalog(source.name)}
            data-nav-item
            data-testid="source-card"
            className="flex flex-col gap-2 rounded-lg border border-zinc-200 p-4 hover:border-sky-400 hover:bg-sky-50/50 dark:border-zinc-800 dark:hover:border-sky-700 dark:hover:bg-sky-950/20"
          >
            <span className="text-base font-semibold">{source.name}</span>
            <SourceInfo source={source} />
            <SourceStatusBadge name={source.name} />
          </PageLink>
        ))}
      </ArrowFocusList>
    </div>
  );
}
