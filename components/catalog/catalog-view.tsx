'use client';

import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useDeferredValue, useMemo, useRef } from 'react';
import { replaceUrl } from '@/components/shell/url-state';
import { useQuietUrlWrite } from '@/components/shell/use-quiet-url-write';
import { useUrlText } from '@/components/shell/use-url-text';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { FilterInput } from '@/components/ui/filter-input';
import { SkeletonRows } from '@/components/ui/skeleton';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { CatalogAge } from './catalog-age';
import { catalogRows, filterRepositories } from './catalog-model';
import { NoCatalog } from './no-catalog';
import { isNoCatalogError } from './no-catalog-model';
import { RepositoryList, type RepositoryListHandle } from './repository-list';
import { SourceInfo } from './source-info';

/** The catalog of one source: every repository (all pages), filtered on the client, grouped by namespace. */
export function CatalogView({ source }: { source: string }) {
  const [text, setText] = useUrlText(useSearchParams().get('q') ?? '', 'q');
  // The URL follows the filter once typing pauses (off the path from a keystroke to its paint), and at once
  // before a click, Enter or any key outside the filter, so links, back and reload see what was typed.
  const queryWrite = useQuietUrlWrite((value: string) => replaceUrl(pages.catalog(source, { q: value || undefined })));
  const filter = useDeferredValue(text);
  const listRef = useRef<RepositoryListHandle>(null);

  const sources = useQuery(registryQueries.sources());
  const summary = sources.data?.sources.find((s) => s.name === source);
  const repositories = useQuery(registryQueries.repositories(source));
  const all = repositories.data?.repositories;
  const filtered = useMemo(() => (all ? filterRepositories(all, filter) : []), [all, filter]);
  const rows = useMemo(() => catalogRows(filtered), [filtered]);
  const namespaces = rows.length - filtered.length;
  const noCatalog = repositories.isError && !all && isNoCatalogError(repositories.error);

  const onFilter = (value: string) => {
    setText(value);
    queryWrite.schedule(value);
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h1 className="text-xl font-semibold">{source}</h1>
        {summary ? <SourceInfo source={summary} /> : null}
      </div>
      <div className={noCatalog ? 'hidden' : 'flex flex-wrap items-center gap-3'}>
        <FilterInput
          label="Filter repositories"
          placeholder="Filter repositories (* matches anything)"
          value={text}
          onChange={onFilter}
          onArrowDown={() => listRef.current?.focusFirst()}
        />
        {all ? (
          <p data-testid="catalog-count" aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
            {filter ? `${filtered.length} of ${all.length}` : all.length} {all.length === 1 ? 'repository' : 'repositories'}
            {namespaces > 0 ? ` in ${namespaces} ${namespaces === 1 ? 'namespace' : 'namespaces'}` : ''}
          </p>
        ) : null}
        {repositories.data ? <CatalogAge source={source} catalog={repositories.data} /> : null}
      </div>
      {repositories.isError && all ? (
        <ErrorState title="Showing the last list: refreshing it failed" error={repositories.error} onRetry={() => void repositories.refetch()} />
      ) : null}
      {repositories.isPending ? (
        <SkeletonRows rows={8} label="Loading repositories" />
      ) : noCatalog ? (
        <NoCatalog source={source} configured={summary?.repositories ?? []} error={repositories.error} />
      ) : repositories.isError && !all ? (
        <ErrorState
          title={`Could not list the repositories of ${source}`}
          error={repositories.error}
          onRetry={() => void repositories.refetch()}
          retrying={repositories.isFetching}
        />
      ) : all && all.length === 0 ? (
        <EmptyState title="No repositories yet">
          <p>
            This source has no repositories. Push an image (for example with{' '}
            <code>skopeo copy … docker://{summary?.host ?? 'registry'}/name:tag</code>) and it shows up here.
          </p>
        </EmptyState>
      ) : filtered.length === 0 ? (
        <EmptyState title={`No repository matches “${filter}”`} action={<Button onClick={() => onFilter('')}>Clear the filter</Button>}>
          <p>The filter looks at all {all?.length} repositories; every word must occur in the name.</p>
        </EmptyState>
      ) : (
        <RepositoryList ref={listRef} source={source} rows={rows} />
      )}
    </div>
  );
}
