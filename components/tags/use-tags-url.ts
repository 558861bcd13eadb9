import { useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { replaceUrl } from '@/components/shell/url-state';
import { pages, type TagsViewParams } from '@/lib/routes';
import { formatSort, parseSort, type TagSort } from './tag-sort';

export interface TagsUrlState {
  query: string;
  sort: TagSort;
  showAll: boolean;
  selected: ReadonlySet<string>;
}

function read(params: URLSearchParams): TagsUrlState {
  const sel = params.get('sel');
  return {
    query: params.get('q') ?? '',
    sort: parseSort(params.get('sort')),
    showAll: params.get('show') === 'all',
    selected: new Set(sel ? sel.split(',').filter(Boolean) : []),
  };
}

function toParams(state: TagsUrlState): TagsViewParams {
  return {
    q: state.query || undefined,
    sort: formatSort(state.sort),
    show: state.showAll ? 'all' : undefined,
    sel: [...state.selected].sort(),
  };
}

/**
 * Filter, sort, the artifact-tag switch and the selection of the tags view, kept in the query string
 * (`pages.tags`). Updates replace the history entry; they read the live URL so quick successive changes
 * (shift-click ranges, typing) never build on a stale value.
 */
export type TagsUrlChange = Partial<TagsUrlState> | ((live: TagsUrlState) => Partial<TagsUrlState>);

export function useTagsUrl(source: string, repo: string): [TagsUrlState, (change: TagsUrlChange) => void] {
  const search = useSearchParams().toString();
  const state = useMemo(() => read(new URLSearchParams(search)), [search]);
  const update = (change: TagsUrlChange) => {
    const live = read(new URLSearchParams(window.location.search));
    const partial = typeof change === 'function' ? change(live) : change;
    replaceUrl(pages.tags(source, repo, toParams({ ...live, ...partial })));
  };
  return [state, update];
}
