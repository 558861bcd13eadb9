'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton, SkeletonRows } from '@/components/ui/skeleton';
import { isDigest } from '@/lib/oci/digest';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { ChildPanel } from './child-panel';
import { ManifestDetails } from './manifest-details';
import { ManifestHeader } from './manifest-header';
import { ManifestTree } from './manifest-tree';
import { childKey, selectedChild } from './selection';

export interface ManifestViewProps {
  source: string;
  repo: string;
  /** Tag or digest. */
  reference: string;
}

function ManifestSkeleton() {
  return (
    <div className="flex flex-col gap-6" role="status" aria-label="Loading manifest">
      <Skeleton className="h-7 w-80" />
      <SkeletonRows rows={5} label="Loading manifest details" />
      <div className="grid grid-cols-[minmax(15rem,20rem)_minmax(0,1fr)] gap-6">
        <SkeletonRows rows={8} label="Loading manifest tree" />
        <SkeletonRows rows={10} label="Loading config and layers" />
      </div>
    </div>
  );
}

function ManifestViewContent({ source, repo, reference }: ManifestViewProps) {
  const router = useRouter();
  const platform = useSearchParams().get('platform');
  const [highlight, setHighlight] = useState<string | null>(null);
  const query = useQuery(registryQueries.manifest(source, repo, reference));

  if (query.isPending) return <ManifestSkeleton />;
  // A failed background reload (e.g. right after this manifest was deleted) keeps the page; only a first load fails.
  if (query.isError && !query.data) {
    return <ErrorState title={`Could not load ${repo}${isDigest(reference) ? '@' : ':'}${reference}`} error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  }
  const data = query.data;
  const child = selectedChild(data.children, platform);
  const currentKey = child && data.children ? childKey(child, data.children) : undefined;
  const label = isDigest(reference) ? `${reference.slice(0, 19)}…` : reference;
  const tags = [...new Set([...(isDigest(reference) ? [] : [reference]), ...(data.tags ?? [])])];

  const select = (key: string | undefined, blob?: string) => {
    setHighlight(blob ?? null);
    if (key !== currentKey) router.push(pages.manifest(source, repo, reference, { platform: key }), { scroll: false });
  };

  return (
    <div className="flex min-w-0 flex-col gap-6" data-testid="manifest-view">
      <ManifestHeader source={source} repo={repo} reference={reference} data={data} />
      {query.isError ? (
        <p role="note" data-testid="manifest-reload-failed" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
          This page could not be reloaded ({query.error.message}); it shows what was loaded before.
        </p>
      ) : null}
      {platform && !child ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
          No manifest of this {data.children ? 'index' : 'image'} matches <code>{platform}</code>; showing the whole manifest.
        </p>
      ) : null}
      <div className="grid grid-cols-[minmax(15rem,20rem)_minmax(0,1fr)] items-start gap-6">
        <nav aria-label="Manifest structure" className="sticky top-4 max-h-[calc(100vh-2rem)] overflow-auto rounded-md border border-zinc-200 p-1.5 dark:border-zinc-800">
          <ManifestTree key={data.descriptor.digest} source={source} repo={repo} label={label} data={data} selectedDigest={child?.descriptor.digest} onSelect={select} />
        </nav>
        <div className="min-w-0">
          {child ? (
            <ChildPanel key={child.descriptor.digest} source={source} repo={repo} reference={reference} child={child} tags={tags} highlight={highlight} />
          ) : (
            <ManifestDetails source={source} repo={repo} reference={reference} data={data} selectedKey={currentKey} highlight={highlight} />
          )}
        </div>
      </div>
    </div>
  );
}

/** The manifest page: header, tree and details of a tag or digest; `?platform=` selects a child of an index. */
export function ManifestView(props: ManifestViewProps) {
  return (
    <Suspense fallback={<ManifestSkeleton />}>
      <ManifestViewContent {...props} />
    </Suspense>
  );
}
