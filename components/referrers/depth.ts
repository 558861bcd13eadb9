/** The referrer graph's `?depth=`: how many levels of referrers-of-referrers to walk. */
import { DEFAULT_REFERRERS_DEPTH, MAX_REFERRERS_DEPTH, REFERRERS_DEPTH_CHOICES } from '@/lib/api/referrers-depth';

/** The same default and limit as the API (one module: lib/api/referrers-depth.ts). */
export const DEFAULT_DEPTH = DEFAULT_REFERRERS_DEPTH;
export const MAX_DEPTH = MAX_REFERRERS_DEPTH;
export const DEPTH_CHOICES = REFERRERS_DEPTH_CHOICES;

/** A depth from the query string, clamped to 1…MAX_DEPTH; the default for anything that is not a number. */
export function parseDepth(value: string | null | undefined): number {
  if (!value || !/^\d+$/.test(value)) return DEFAULT_DEPTH;
  return Math.min(MAX_DEPTH, Math.max(1, Number(value)));
}
