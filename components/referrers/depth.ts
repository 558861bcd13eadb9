/** The referrer graph's `?depth=`: how many levels of referrers-of-referrers to walk. */

export const DEFAULT_DEPTH = 3;
export const MAX_DEPTH = 8;
export const DEPTH_CHOICES: readonly number[] = [1, 2, 3, 4, 5, 8];

/** A depth from the query string, clamped to 1…MAX_DEPTH; the default for anything that is not a number. */
export function parseDepth(value: string | null | undefined): number {
  if (!value || !/^\d+$/.test(value)) return DEFAULT_DEPTH;
  return Math.min(MAX_DEPTH, Math.max(1, Number(value)));
}
