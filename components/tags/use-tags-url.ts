import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { replaceUrl } from '@/components/shell/url-state';
import { pages, type TagsViewParams } from '@/lib/routes';
import { formatSort, parseSort, type TagSort } from './tag-sort';

export interface TagsUrlState {
  query: string;
  sort: TagSort;
  showAll: boolean;
  selected: ReadonlySet<string>;
}

function sameMembers(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

/**
 * The state in `params`. With `previous`, the sort and the selection keep their identity when their values did
 * not change, so writing the filter text into the URL does not re-arrange 2,000 rows or re-render the table.
 */
export function readTagsUrl(params: URLSearchParams, previous?: TagsUrlState): TagsUrlState {
  const sel = params.get('sel');
  const sort = parseSort(params.get('sort'));
  const selected = new Set(sel ? sel.split(',').filter(Boolean) : []);
  return {
    query: params.get('q') ?? '',
    sort: previous && previous.sort.key === sort.key && previous.sort.desc === sort.desc ? previous.sort : sort,
    showAll: params.get('show') === 'all',
    selected: previous && sameMembers(previous.selected, selected) ? previous.selected : selected,
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
  // The previous render's state, kept as React's "storing information from previous renders" pattern.
  const [read, setRead] = useState(() => ({ search, state: readTagsUrl(new URLSearchParams(search)) }));
  let current = read;
  if (read.search !== search) {
    current = { search, state: readTagsUrl(new URLSearchParams(search), read.state) };
    setRead(current);
  }
  const state = current.state;
  const update = (change: TagsUrlChange) => {
    const live = readTagsUrl(new URLSearchParams(window.location.search));
    const partial = typeof change === 'function' ? change(live) : change;
    replaceUrl(pages.tags(source, repo, toParams({ ...live, ...partial })));
  };
  return [state, update];
}
