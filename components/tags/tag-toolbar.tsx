'use client';

import { memo } from 'react';
import { FilterInput } from '@/components/ui/filter-input';
import { Switch } from '@/components/ui/switch';
import { sameTableContent } from './tag-table-equality';
import { parseSort, type TagSort } from './tag-sort';

const SORT_OPTIONS: { value: string; label: string }[] = [
  { value: 'name', label: 'Name (A→Z)' },
  { value: '-name', label: 'Name (Z→A)' },
  { value: '-version', label: 'Version (newest first)' },
  { value: 'version', label: 'Version (oldest first)' },
  { value: '-created', label: 'Created (newest first)' },
  { value: 'created', label: 'Created (oldest first)' },
];

export interface TagToolbarProps {
  filter: string;
  onFilter: (value: string) => void;
  sort: TagSort;
  onSort: (sort: TagSort) => void;
  showAll: boolean;
  onShowAll: (value: boolean) => void;
  shown: number;
  /** Null while the tag list is not known (loading, or it could not be read): no count is shown then. */
  total: number | null;
  artifactTags: number;
  onArrowDown: () => void;
}

function TagToolbarView(props: TagToolbarProps) {
  const { filter, sort, showAll, shown, total, artifactTags } = props;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
      <FilterInput
        label="Filter tags"
        placeholder="Filter tags or digests"
        value={filter}
        onChange={props.onFilter}
        onArrowDown={props.onArrowDown}
      />
      <label className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
        Sort
        <select
          value={`${sort.desc ? '-' : ''}${sort.key}`}
          onChange={(event) => props.onSort(parseSort(event.target.value))}
          className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          {SORT_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      {artifactTags > 0 ? (
        <Switch checked={showAll} onChange={props.onShowAll} label={`Show signature, SBOM and referrer tags (${artifactTags})`} />
      ) : null}
      {total === null ? null : (
        <p data-testid="tag-count" aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
          {shown === total ? `${total} ${total === 1 ? 'tag' : 'tags'}` : `${shown} of ${total} tags`}
        </p>
      )}
    </div>
  );
}

/**
 * Filter, sort and the switch that unfolds signature/SBOM/referrer tags, with "n of N" counts. Re-renders only
 * when what it shows changes (its callbacks act on live state, see {@link sameTableContent}): React rewrites an
 * input's `type` and `name` on every render, so the render Next.js makes when the filter reaches the URL would
 * otherwise touch the DOM once more after the keystroke's paint.
 */
export const TagToolbar = memo(TagToolbarView, sameTableContent);
