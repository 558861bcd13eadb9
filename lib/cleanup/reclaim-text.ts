/**
 * What the reclaimable figure of a plan is, in words: exact, or an upper bound and why. Shared by the page and
 * the command line so both say the same. Pure.
 */
import type { ReclaimEstimate } from './types';

/** "upper bound: …" or "exact: …", naming the repositories that may share blobs. */
export function reclaimScope(reclaim: Pick<ReclaimEstimate, 'upperBound' | 'otherRepositories'>): string {
  if (!reclaim.upperBound) return 'exact: no repository outside this plan shares these blobs';
  const others = reclaim.otherRepositories;
  if (!others) return 'upper bound: the registry could not list its other repositories, which may link some of these blobs';
  const more = others.count > others.names.length ? ` and ${others.count - others.names.length} more` : '';
  const which = `${others.names.join(', ')}${more}`;
  return (
    `upper bound: ${others.count} other ${others.count === 1 ? 'repository' : 'repositories'} (${which}) may link some of these ` +
    'blobs, and the registry frees only blobs no repository links; put them in the policy for the exact figure'
  );
}
