import { PageLink } from '@/components/ui/page-link';
import { Button, buttonClass } from '@/components/ui/button';
import { LockIcon, TrashIcon } from '@/components/ui/icons';

export interface SelectionBarProps {
  /** Selected tags that exist. */
  count: number;
  /** Names in the selection (`?sel=`) that are not tags of this repository. */
  missing?: readonly string[];
  canDelete: boolean;
  readOnlyReason?: string;
  onDelete: () => void;
  onClear: () => void;
  /** "Copy to…" for the selected tags; absent when no source allows writing. */
  onCopy?: () => void;
  /** The compare page of the two selected tags; absent unless exactly two are selected. */
  compareHref?: string;
}

/**
 * Shown while tags are selected: copying them elsewhere, comparing two, bulk delete (or why it is not offered)
 * and clearing the selection.
 */
export function SelectionBar({ count, missing = [], canDelete, readOnlyReason, onDelete, onClear, onCopy, compareHref }: SelectionBarProps) {
  if (count === 0 && missing.length === 0) return null;
  return (
    <div
      data-testid="selection-bar"
      className="flex flex-wrap items-center gap-3 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm dark:border-sky-900 dark:bg-sky-950/40"
    >
      <span className="font-medium">
        {count} {count === 1 ? 'tag' : 'tags'} selected
      </span>
      {missing.length > 0 ? (
        <span data-testid="selection-missing" className="min-w-0 text-xs [overflow-wrap:anywhere] text-amber-800 dark:text-amber-300">
          Not counted: {missing.join(', ')} {missing.length === 1 ? 'is' : 'are'} not a tag of this repository (any more).
        </span>
      ) : null}
      {count > 0 && onCopy ? (
        <Button size="sm" onClick={onCopy}>
          Copy to…
        </Button>
      ) : null}
      {compareHref ? (
        <PageLink className={buttonClass('secondary', 'sm')} href={compareHref}>
          Compare
        </PageLink>
      ) : null}
      {count === 0 ? null : canDelete ? (
        <Button variant="danger" size="sm" onClick={onDelete}>
          <TrashIcon width={14} height={14} /> Delete selected tags
        </Button>
      ) : (
        <span className="inline-flex items-center gap-1 text-xs text-amber-800 dark:text-amber-300">
          <LockIcon width={12} height={12} /> Deleting is not available: {readOnlyReason ?? 'this source is read-only'}
        </span>
      )}
      <Button variant="ghost" size="sm" onClick={onClear}>
        Clear selection
      </Button>
    </div>
  );
}
