/**
 * What the selection bar offers for the selected tags besides deleting: the copies of "Copy to…" (each tag
 * under its own name, pinned to the digest the table showed when it is known) and the pair for "Compare".
 */
import type { TagRow } from '@/lib/api/types';
import type { CopyItem } from '@/components/copy/copy-batch';

/** One copy per selected tag: `:TAG@DIGEST` when the digest is known (the copy fails if the tag moved since). */
export function copyItemsOf(tags: readonly Pick<TagRow, 'name' | 'digest'>[]): CopyItem[] {
  return tags.map((t) => ({ reference: `:${t.name}${t.digest ? `@${t.digest}` : ''}`, tag: t.name, label: t.name }));
}

/**
 * With exactly two tags selected, the compare page's `from` and `to`: the older image first when both build
 * times are known, else in the order given (the order of selection). Otherwise undefined.
 */
export function comparePair(tags: readonly Pick<TagRow, 'name' | 'created'>[]): { from: string; to: string } | undefined {
  if (tags.length !== 2) return undefined;
  const [a, b] = tags as [Pick<TagRow, 'name' | 'created'>, Pick<TagRow, 'name' | 'created'>];
  const swap = a.created !== null && b.created !== null && Date.parse(b.created) < Date.parse(a.created);
  return swap ? { from: b.name, to: a.name } : { from: a.name, to: b.name };
}
