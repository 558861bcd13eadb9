'use client';

import { useQuery } from '@tanstack/react-query';
import { PageLink } from '@/components/ui/page-link';
import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { EmptyState } from '@/components/ui/empty-state';
import { describeError, ErrorState } from '@/components/ui/error-state';
import { Skeleton, SkeletonRows } from '@/components/ui/skeleton';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { summarizeKinds } from './artifact-kinds';
import { parseDepth } from './depth';
import { DepthControl } from './depth-control';
import { countReferrers } from './graph-model';
import { ReferrerGraph } from './referrer-graph';
import { ReferrerTree } from './referrer-tree';

export interface ReferrerGraphViewProps {
  source: string;
  repo: string;
  digest: string;
}

function GraphSkeleton() {
  return (
    <div role="status" aria-label="Loading referrers" className="flex flex-col gap-4">
      <Skeleton className="h-80 w-full rounded-md" />
      <SkeletonRows rows={4} label="Loading referrer list" />
    </div>
  );
}

function ReferrerGraphContent({ source, repo, digest }: ReferrerGraphViewProps) {
  const depth = parseDepth(useSearchParams().get('depth'));
  const query = useQuery(registryQueries.referrers(source, repo, digest, { depth }));
  // The subject's own manifest only names the root node; the graph does not wait for it.
  const subject = useQuery(registryQueries.manifest(source, repo, digest));
  const subjectLabel = subject.data
    ? [subject.data.kind, subject.data.artifactType, subject.data.tags?.length ? `tags ${subject.data.tags.join(', ')}` : undefined].filter(Boolean).join(' · ')
    : undefined;
  const referrers = query.data?.referrers ?? [];
  const total = countReferrers(referrers);

  return (
    <div className="flex min-w-0 flex-col gap-5" data-testid="referrer-graph-view">
      <header className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold break-all">Referrers of {repo}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-x-2 text-sm text-zinc-600 dark:text-zinc-400">
            <code className="font-mono text-xs break-all">{digest}</code>
            <PageLink href={pages.manifest(source, repo, digest)} className="text-sky-700 underline dark:text-sky-400">
              Open manifest
            </PageLink>
          </p>
        </div>
        <div className="ml-auto flex items-center gap-4">
          {query.data && total > 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="referrer-summary">
              {total} referrer{total === 1 ? '' : 's'} in all; attached directly: {summarizeKinds(referrers)}
            </p>
          ) : null}
          <DepthControl source={source} repo={repo} digest={digest} depth={depth} />
        </div>
      </header>
      {subject.isError ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
          The subject itself could not be read (<code>{describeError(subject.error).code}</code>: {describeError(subject.error).message}); its referrers are
          listed as the registry reports them.
        </p>
      ) : null}
      {query.isPending ? (
        <GraphSkeleton />
      ) : query.isError ? (
        <ErrorState title="Could not load the referrers" error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : referrers.length === 0 ? (
        <EmptyState title="No referrers: nothing is attached to this manifest">
          Signatures, SBOMs and attestations pushed with this digest as their <code>subject</code> appear here, found through the registry&apos;s referrers API or
          the <code>sha256-…</code> fallback tag.
        </EmptyState>
      ) : (
        <>
          <ReferrerGraph source={source} repo={repo} subject={digest} subjectLabel={subjectLabel} referrers={referrers} />
          <section aria-labelledby="referrer-list-heading">
            <h2 id="referrer-list-heading" className="mb-2 text-sm font-semibold tracking-wide text-zinc-700 uppercase dark:text-zinc-300">
              As a list
            </h2>
            <ReferrerTree source={source} repo={repo} subject={digest} subjectLabel={subjectLabel} referrers={referrers} />
          </section>
        </>
      )}
    </div>
  );
}

/** The referrer graph page: a subject, everything that refers to it (recursively, `?depth=`), as a graph and a list. */
export function ReferrerGraphView(props: ReferrerGraphViewProps) {
  return (
    <Suspense fallback={<GraphSkeleton />}>
      <ReferrerGraphContent {...props} />
    </Suspense>
  );
}
