'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { useDeletion } from '@/components/catalog/use-deletion';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Button } from '@/components/ui/button';
import { SkeletonRows } from '@/components/ui/skeleton';
import { shapeBareTagRow } from '@/lib/api/bare-tag-row';
import type { TagRow } from '@/lib/api/types';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { noTagsExplanation } from './no-tags';
import { RepoHeading } from './repo-heading';
import { comparePair } from './selection-actions';
import { liveTagList } from './live-tag-list';
import { StreamProgress } from './stream-progress';
import { SelectionBar } from './selection-bar';
import { arrangeTags } from './tag-model';
import { TagDialogs, type TagIntent } from './tag-dialogs';
import { useTagSelection } from './use-tag-selection';
import { useQuietUrlWrite } from '@/components/shell/use-quiet-url-write';
import { useUrlText } from '@/components/shell/use-url-text';
import { TagTable, type TagTableHandle } from './tag-table';
import { TagToolbar } from './tag-toolbar';
import { useTagsUrl } from './use-tags-url';

/**
 * The rows of a names list, the same array for the same list: the live list's sorted orders are kept per rows
 * array (live-tag-list.ts), so a return to the page, whose names are still cached, does not sort them again.
 */
const bareByNames = new WeakMap<readonly string[], readonly TagRow[]>();
function bareRows(names: readonly string[]): readonly TagRow[] {
  let rows = bareByNames.get(names);
  if (!rows) bareByNames.set(names, (rows = names.map((name) => shapeBareTagRow(name))));
  return rows;
}

/** Above this many tags the table follows the filter text in a deferred render, so that typing stays fluent. */
const DEFERRED_FILTER_ROWS = 5_000;

/**
 * Tags of one repository. Names arrive first (in the page's HTML, or one cheap request) and the table is usable at
 * once; digests, platforms, sizes and dates fill in as the server streams each tag's row (kept sorted as they
 * come, with "812 of 2,000 read" meanwhile).
 */
export function TagsView({ source, repo }: { source: string; repo: string }) {
  const [url, writeUrl] = useTagsUrl(source, repo);
  // The URL follows the filter once typing pauses, off the path from a keystroke to its paint; any other URL
  // change writes the pending filter first, so the two never overwrite each other.
  const queryWrite = useQuietUrlWrite((value: string) => writeUrl({ query: value }));
  const setUrl: typeof writeUrl = (change) => {
    queryWrite.flush();
    writeUrl(change);
  };
  const [text, setText] = useUrlText(url.query, 'q');
  const deferredText = useDeferredValue(text);
  const [intent, setIntent] = useState<TagIntent>(null);
  const router = useRouter();
  const tableRef = useRef<TagTableHandle>(null);

  const sources = useQuery(registryQueries.sources());
  const summary = sources.data?.sources.find((s) => s.name === source);
  const deletion = useDeletion(summary, repo);
  // The registry may refuse what the configuration allows (deletion disabled): then nothing is offered.
  const canDelete = summary?.delete === true && deletion?.allowed !== false;
  const names = useQuery(registryQueries.tagNames(source, repo));
  const bare = names.data ? bareRows(names.data.names) : undefined;
  // Details stream in batch by batch: each row takes the place of its name as soon as the server has read it.
  const details = useQuery(registryQueries.tagStream(source, repo));
  const all = useMemo(() => liveTagList(bare, details.data), [bare, details.data]);
  // Filtering is cheap (a 2,000-tag list in well under a millisecond): a keystroke renders the filtered table
  // with the text, in one commit and one frame. Deferred, it took a second render and frame (input to paint
  // 35–54 ms against 50); only lists long enough for their rows to take a frame are filtered after the text.
  const query = (all?.length ?? 0) > DEFERRED_FILTER_ROWS ? deferredText : text;
  const detailsLoading = !details.data?.end && !details.isError;

  const arrangement = useMemo(
    () => arrangeTags(all ?? [], { query, sort: url.sort, showAll: url.showAll }),
    [all, query, url.sort, url.showAll],
  );
  const rows = arrangement.rows;
  const byName = useMemo(() => new Map((all ?? []).map((t) => [t.name, t])), [all]);
  const selectedTags = [...url.selected].map((name) => byName.get(name)).filter((t): t is TagRow => t !== undefined);
  // `?sel=` may name tags that do not exist (deleted since the link was made): they are not counted.
  const missingSelected = all ? [...url.selected].filter((name) => !byName.has(name)) : [];

  const selection = useTagSelection(rows, setUrl);
  const copyTargets = sources.data?.sources.filter((s) => s.write === true) ?? [];
  const pair = comparePair(selectedTags);
  const onFilter = (value: string) => {
    setText(value);
    queryWrite.schedule(value);
  };
  const error = names.error ?? details.error;

  return (
    <div className="flex flex-col gap-4">
      <RepoHeading source={source} repo={repo} summary={summary} />
      <TagToolbar
        filter={text}
        onFilter={onFilter}
        sort={url.sort}
        onSort={(sort) => setUrl({ sort })}
        showAll={url.showAll}
        onShowAll={(showAll) => setUrl({ showAll })}
        shown={rows.length}
        total={all ? arrangement.total : null}
        artifactTags={arrangement.artifactTags}
        onArrowDown={() => tableRef.current?.focusFirst()}
      />
      {/* A stream that failed says so below (the error state), not "n of N read" for ever. */}
      <StreamProgress stream={details.isError ? undefined : details.data} />
      <SelectionBar
        count={all ? selectedTags.length : 0}
        missing={missingSelected}
        canDelete={canDelete}
        readOnlyReason={deletion?.allowed === false ? deletion.reason : summary?.readOnlyReason}
        onDelete={() => setIntent({ type: 'bulk', tags: selectedTags })}
        onClear={selection.clear}
        {...(copyTargets.length > 0 ? { onCopy: () => setIntent({ type: 'copy', tags: selectedTags }) } : {})}
        {...(pair ? { compareHref: pages.compare(source, repo, pair) } : {})}
      />
      {all && details.isError ? (
        <ErrorState title="Tag details could not be loaded" error={details.error} onRetry={() => void details.refetch()} retrying={details.isFetching} />
      ) : null}
      {!all && error ? (
        <ErrorState
          title={`Could not list the tags of ${repo}`}
          error={error}
          onRetry={() => void Promise.all([names.refetch(), details.refetch()])}
          retrying={names.isFetching || details.isFetching}
        />
      ) : !all ? (
        <SkeletonRows rows={8} label="Loading tags" />
      ) : all.length === 0 ? (
        <EmptyState title="This repository has no tags">
          <p data-testid="no-tags-explanation">{noTagsExplanation(summary?.kind)}</p>
        </EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title={`No tag matches “${query}”`} action={<Button onClick={() => onFilter('')}>Clear the filter</Button>}>
          <p>The filter looks at all {arrangement.total} tags, by name (every word must occur) and by digest (6+ hex characters).</p>
        </EmptyState>
      ) : (
        <TagTable
          ref={tableRef}
          source={source}
          repo={repo}
          rows={rows}
          selected={url.selected}
          detailsLoading={detailsLoading}
          canDelete={canDelete}
          sort={url.sort}
          onSort={(sort) => setUrl({ sort })}
          onToggle={selection.toggle}
          onSelectAll={selection.selectShown}
          onSelectDigest={selection.toggleDigest}
          onShowFolded={() => setUrl({ showAll: true })}
          onDeleteTag={(tag) => setIntent({ type: 'tag', tag })}
          onDeleteManifest={(tag) => setIntent({ type: 'manifest', tag })}
          onOpen={(tag) => router.push(pages.manifest(source, repo, tag.name))}
        />
      )}
      <TagDialogs
        intent={intent}
        source={source}
        repo={repo}
        summary={summary}
        all={all ?? []}
        copyTargets={copyTargets}
        onClose={() => setIntent(null)}
        onRemoved={selection.remove}
      />
    </div>
  );
}
