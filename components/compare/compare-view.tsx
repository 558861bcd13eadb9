'use client';

/**
 * The compare page: two images side by side — config differences, layers shared or only in one, the size
 * change per directory and the changed files (with line diffs of text files). Both refs are in the URL
 * (`?from=&to=[&platform=]`), so a compare can be linked.
 */
import { useQuery } from '@tanstack/react-query';
import { PageLink } from '@/components/ui/page-link';
import { Section } from '@/components/manifest/section';
import { ErrorState } from '@/components/ui/error-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import type { CompareResponse, CompareSide } from '@/lib/api/types';
import { isRegistryError } from '@/lib/oci/errors';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { CompareForm } from './compare-form';
import { ConfigDiffTable } from './config-diff-table';
import { DirectoryTreeView } from './directory-tree-view';
import { FileChanges } from './file-changes';
import { formatDelta, sideLabel } from './format';
import { LayersDiff } from './layers-diff';

export interface CompareViewProps {
  source: string;
  repo: string;
  from?: string;
  to?: string;
  platform?: string;
}

/** The platforms an index offers, when the error says the compare needs one. */
function platformsOf(error: unknown): string[] {
  if (!isRegistryError(error)) return [];
  const detail = error.detail as { platforms?: unknown } | undefined;
  return Array.isArray(detail?.platforms) ? detail.platforms.filter((p): p is string => typeof p === 'string') : [];
}

function SideLink({ side, label }: { side: CompareSide; label: string }) {
  return (
    <PageLink className="font-mono text-blue-700 hover:underline dark:text-blue-400" href={pages.manifest(side.source, side.repository, side.manifest)} title={`${side.source}/${side.repository} ${side.manifest}`}>
      {label}
    </PageLink>
  );
}

function Result({ data, source, repo }: { data: CompareResponse; source: string; repo: string }) {
  const fromLabel = sideLabel(data.from, source, repo);
  const toLabel = sideLabel(data.to, source, repo);
  const { totals } = data.files;
  return (
    <>
      <p className="text-sm" data-testid="compare-summary">
        <SideLink side={data.from} label={fromLabel} /> → <SideLink side={data.to} label={toLabel} />
        {data.to.platform ? <span className="ml-2 text-zinc-500 dark:text-zinc-400">({data.to.platform})</span> : null}
        <span className="ml-3 text-zinc-600 dark:text-zinc-300">
          {totals.added} added, {totals.removed} removed, {totals.changed} changed · <span className="font-medium">{formatDelta(totals.sizeDelta)}</span> of files
        </span>
      </p>
      <Section id="compare-config" title="Config">
        <ConfigDiffTable config={data.config} />
      </Section>
      <Section id="compare-layers" title="Layers">
        <LayersDiff layers={data.layers} fromLabel={fromLabel} toLabel={toLabel} />
      </Section>
      <Section id="compare-directories" title="Size by directory">
        <DirectoryTreeView directories={data.files.directories} />
      </Section>
      <Section id="compare-files" title="Files">
        <FileChanges files={data.files} from={data.from} to={data.to} />
      </Section>
    </>
  );
}

function CompareResult({ source, repo, from, to, platform }: Required<Pick<CompareViewProps, 'source' | 'repo' | 'from' | 'to'>> & { platform?: string }) {
  const query = useQuery(registryQueries.compare(source, repo, { from, to, ...(platform ? { platform } : {}) }));
  if (query.isPending) {
    return (
      <div role="status" aria-label="Comparing" className="flex flex-col gap-2">
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Reading the layers of both images (the first time, each layer is indexed)…</p>
        <SkeletonRows rows={8} label="Loading the comparison" />
      </div>
    );
  }
  if (query.isError) {
    const platforms = platformsOf(query.error);
    return (
      <div className="flex flex-col gap-3">
        <ErrorState title={`Could not compare ${from} with ${to}`} error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
        {platforms.length ? (
          <p className="text-sm" data-testid="compare-platforms">
            Compare one platform:{' '}
            {platforms.map((p) => (
              <PageLink key={p} className="mr-3 font-mono text-blue-700 hover:underline dark:text-blue-400" href={pages.compare(source, repo, { from, to, platform: p })}>
                {p}
              </PageLink>
            ))}
          </p>
        ) : null}
      </div>
    );
  }
  return <Result data={query.data} source={source} repo={repo} />;
}

export function CompareView({ source, repo, from, to, platform }: CompareViewProps) {
  return (
    <div className="flex min-w-0 flex-col gap-6" data-testid="compare-view">
      <header className="flex flex-col gap-3">
        <h1 className="text-xl font-semibold break-all">
          Compare <span className="text-zinc-500 dark:text-zinc-400">in {repo}</span>
        </h1>
        <CompareForm key={`${from}|${to}|${platform}`} source={source} repo={repo} {...(from ? { from } : {})} {...(to ? { to } : {})} {...(platform ? { platform } : {})} />
      </header>
      {from && to ? (
        <CompareResult source={source} repo={repo} from={from} to={to} {...(platform ? { platform } : {})} />
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Name two images: tags or digests of {repo}, or SOURCE/REPO:TAG for an image anywhere.</p>
      )}
    </div>
  );
}
