/** Formatting of the compare page: signed sizes and image references. Pure. */
import type { CompareSide } from '@/lib/api/types';
import { isDigest } from '@/lib/oci/digest';
import { formatBytes } from '@/lib/text/bytes';

/** `+1.2 MiB`, `−300 B` (a real minus sign), `0 B`. */
export function formatDelta(bytes: number): string {
  if (bytes === 0) return '0 B';
  return `${bytes > 0 ? '+' : '−'}${formatBytes(Math.abs(bytes))}`;
}

/** How a side is named on the page: `tag` or `sha256:0123456789ab…` within the page's repository, else with its source and repository. */
export function sideLabel(side: CompareSide, source: string, repo: string): string {
  const digest = isDigest(side.reference);
  const ref = digest ? `${side.reference.slice(0, 19)}…` : side.reference;
  if (side.source === source && side.repository === repo) return ref;
  return `${side.source}/${side.repository}${digest ? '@' : ':'}${ref}`;
}

/** The reference a side is typed as in the compare URL (`tag`, or `SOURCE/REPO:TAG` elsewhere). */
export function sideRef(side: CompareSide, source: string, repo: string): string {
  if (side.source === source && side.repository === repo) return side.reference;
  return `${side.source}/${side.repository}${isDigest(side.reference) ? '@' : ':'}${side.reference}`;
}
